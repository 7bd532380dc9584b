using MnistTrainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Robustness;

/// <summary>A <see cref="TrainingState"/> with real generator and optimizer parts, for checkpoints made in tests.</summary>
public static class RealState
{
    public static TrainingState Of(Sequential network, int epoch, int batch)
    {
        using var shuffle = new Generator(1);
        using var optimizer = optim.SGD(network.parameters(), 0.01);
        return TrainingState.Capture(epoch, batch, 0, [.. Enumerable.Repeat(1.0, epoch - 1)], null, TrainingState.StateOf(shuffle), optimizer);
    }
}
