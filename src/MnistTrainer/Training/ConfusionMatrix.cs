namespace MnistTrainer.Training;

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
