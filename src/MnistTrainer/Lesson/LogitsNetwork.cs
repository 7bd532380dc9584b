using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MnistTrainer.Lesson;

/// <summary>
/// The lesson's first network: <see cref="MnistNetwork"/> without the LogSoftmax, so it outputs logits
/// (raw scores), which is what <c>CrossEntropyLoss</c> expects.
/// </summary>
public static class LogitsNetwork
{
    public const string Description = "Linear(784,128) ReLU Linear(128,64) ReLU Linear(64,10)";

    public static Sequential Create() => Sequential(
        ("0", Linear(784, 128)),
        ("1", ReLU()),
        ("2", Linear(128, 64)),
        ("3", ReLU()),
        ("4", Linear(64, 10)));

    /// <summary>A fresh network whose initial weights are fixed by the seed (the same weights <see cref="Training.Trainer.NewNetwork"/> gives).</summary>
    public static Sequential New(long seed)
    {
        manual_seed(seed);
        return Create();
    }

    /// <summary>A logits network with a copy of the weights of <paramref name="model"/> (the network with LogSoftmax).</summary>
    public static Sequential WithWeightsOf(Sequential model)
    {
        var network = Create();
        using var scope = NewDisposeScope();
        network.load_state_dict(model.state_dict());
        return network;
    }
}
