using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The lesson's first network, <see cref="MnistNetwork.CreateLogits"/>: fresh from a seed, or with a trained model's weights.</summary>
public static class LogitsNetwork
{
    /// <summary>A fresh network whose initial weights are fixed by the seed (the same weights <see cref="Training.Trainer.NewNetwork"/> gives).</summary>
    public static Sequential New(long seed) => MnistNetwork.CreateLogits(seed);

    /// <summary>A logits network with a copy of the weights of <paramref name="model"/> (the network with LogSoftmax).</summary>
    public static Sequential WithWeightsOf(Sequential model)
    {
        var network = MnistNetwork.CreateLogits();
        using var scope = NewDisposeScope();
        network.load_state_dict(model.state_dict());
        return network;
    }
}
