using MnistTrainer.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>The network's average NLL loss, accuracy and predicted class for every image of a set.</summary>
public sealed record Evaluation(double AverageLoss, double Accuracy, int[] Predicted);

public static class Evaluator
{
    const int ChunkSize = 1000;

    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired: it is looked at between chunks.</exception>
    public static Evaluation Evaluate(Sequential network, ImageTensors data, CancellationToken cancel = default)
    {
        var classifier = new Predictor(network);
        double lossSum = 0;
        long correct = 0;
        var predicted = new int[data.Count];
        for (int start = 0; start < data.Count; start += ChunkSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int size = Math.Min(ChunkSize, data.Count - start);
            var logProbabilities = classifier.LogProbabilities(data.Pixels.narrow(0, start, size));
            var labels = data.Labels.narrow(0, start, size);
            lossSum += nn.functional.nll_loss(logProbabilities, labels, reduction: nn.Reduction.Sum).item<float>();
            var classes = logProbabilities.argmax(1);
            correct += classes.eq(labels).sum().item<long>();
            classes.to_type(ScalarType.Int32).data<int>().CopyTo(predicted, start);
        }
        return new Evaluation(lossSum / data.Count, (double)correct / data.Count, predicted);
    }
}

/// <summary>How often each true class (row) was predicted as each class (column), and the accuracy per class.</summary>
public sealed class ConfusionMatrix
{
    public ConfusionMatrix(int classCount, IReadOnlyList<byte> labels, IReadOnlyList<int> predicted)
    {
        if (labels.Count != predicted.Count) throw new ArgumentException($"{labels.Count} labels for {predicted.Count} predictions");
        Counts = Enumerable.Range(0, classCount).Select(_ => new int[classCount]).ToArray();
        for (int i = 0; i < labels.Count; i++)
            Counts[labels[i]][predicted[i]]++;
    }

    /// <summary>Counts[trueClass][predictedClass].</summary>
    public int[][] Counts { get; }
    public int ClassCount => Counts.Length;

    public int Total(int trueClass) => Counts[trueClass].Sum();
    public int Correct(int trueClass) => Counts[trueClass][trueClass];

    /// <summary>The share of the class's images predicted right; NaN when the set has none of it.</summary>
    public double Accuracy(int trueClass) => Total(trueClass) == 0 ? double.NaN : (double)Correct(trueClass) / Total(trueClass);
}
