using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>Moves the torch-side parts of a <see cref="TrainingState"/> (generators, optimizer) to and from bytes.</summary>
public static class TrainingStateIO
{
    public static byte[] Save(Generator generator)
    {
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    public static TrainingState Capture(int epoch, int batch, double runningLoss, IReadOnlyList<double> epochLosses,
        double? testAccuracy, byte[] shuffleState, OptimizerHelper optimizer)
    {
        using var global = random.get_rng_state();
        var optimizerState = new MemoryStream();
        using (var writer = new BinaryWriter(optimizerState)) optimizer.save_state_dict(writer);
        return new TrainingState(epoch, batch, runningLoss, [.. epochLosses], testAccuracy,
            shuffleState, global.data<byte>().ToArray(), optimizerState.ToArray());
    }

    public static void Restore(TrainingState state, Generator shuffle, OptimizerHelper optimizer)
    {
        using (var shuffleState = tensor(state.ShuffleState)) shuffle.set_state(shuffleState);
        using (var global = tensor(state.TorchRngState)) random.set_rng_state(global);
        using var reader = new BinaryReader(new MemoryStream(state.OptimizerState));
        optimizer.load_state_dict(reader);
    }
}
