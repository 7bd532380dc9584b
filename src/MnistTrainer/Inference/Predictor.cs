using MnistTrainer.Data;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Inference;

/// <summary>Runs a trained network on single 28×28 images: bytes → normalized tensor → log-probabilities → probabilities.</summary>
public sealed class Predictor(Sequential network)
{
    public Prediction Predict(ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != DatasetInfo.ImagePixels)
            throw new ArgumentException($"{pixels.Length} pixels given, the network takes {DatasetInfo.ImagePixels}");
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logProbabilities = network.call(InputNormalization.Apply(tensor(pixels.ToArray(), [1, DatasetInfo.ImagePixels])));
        // The network ends in LogSoftmax, so exp gives the probabilities, as in the lesson's torch.exp(logps).
        var probabilities = logProbabilities.exp().data<float>().Select(p => (double)p).ToArray();
        int predicted = (int)logProbabilities.argmax(1).item<long>();
        return new Prediction(predicted, probabilities);
    }
}
