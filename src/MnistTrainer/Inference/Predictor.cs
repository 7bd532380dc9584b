using MnistTrainer.Data;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Inference;

/// <summary>The network's answer for one image: the most probable class and the probability of every class (summing to 1).</summary>
public sealed record Prediction(int PredictedClass, IReadOnlyList<double> Probabilities)
{
    public double Confidence => Probabilities[PredictedClass];
}

/// <summary>
/// One picture's answer as data for other programs: where the picture came from, its label when it is a test
/// image, the predicted class by number and name, and every class's probability. <c>predict --json</c> writes
/// one per picture and <c>serve</c> answers with the same fields.
/// </summary>
public record PredictionReport(string Source, int? Label, bool Preprocessed, int Predicted, string PredictedName,
    double Confidence, IReadOnlyList<double> Probabilities)
{
    public static PredictionReport Of(NetworkInput input, Prediction prediction, IReadOnlyList<string> classNames) => new(
        input.Source, input.Label, input.Preprocessed, prediction.PredictedClass, classNames[prediction.PredictedClass],
        prediction.Confidence, prediction.Probabilities);
}

/// <summary>
/// The one classifier: a network and the lesson's input normalization, from pixels (bytes 0–255) to class
/// probabilities. predict, evaluate, the lesson and the web page all ask it, so "normalize, then run the
/// network" is written once.
/// </summary>
public sealed class Predictor(Sequential network)
{
    public Prediction Predict(ReadOnlySpan<byte> pixels)
    {
        using var scope = NewDisposeScope();
        var logProbabilities = LogProbabilities(tensor(pixels.ToArray(), [1, DatasetInfo.ImagePixels]));
        // The network ends in LogSoftmax, so exp gives the probabilities, as in the lesson's torch.exp(logps).
        var probabilities = logProbabilities.exp().data<float>().Select(p => (double)p).ToArray();
        int predicted = (int)logProbabilities.argmax(1).item<long>();
        return new Prediction(predicted, probabilities);
    }

    /// <summary>
    /// The log-probabilities [N, classes] of images given as bytes [N, 784], in the caller's dispose scope;
    /// no gradients are kept, and the network is left in the mode (training or not) it was in.
    /// </summary>
    public Tensor LogProbabilities(Tensor pixels)
    {
        bool wasTraining = network.training;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            return network.call(InputNormalization.Apply(pixels));
        }
        finally
        {
            if (wasTraining) network.train();
        }
    }
}
