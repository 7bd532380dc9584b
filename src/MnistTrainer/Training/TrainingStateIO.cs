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

    /// <summary>Throws if the state's generator, optimizer or saved-weights parts could not be restored for <paramref name="network"/> and <paramref name="options"/>.</summary>
    public static void CheckRestorable(TrainingState state, TrainingOptions options, Sequential network)
    {
        using var scratch = new Generator(0);
        using (var sample = scratch.get_state())
            if (state.ShuffleState.Length != sample.NumberOfElements || state.TorchRngState.Length != sample.NumberOfElements)
                throw new InvalidDataException("the random generator states have the wrong size");
        int weights = network.parameters().Sum(p => (int)p.numel()) * sizeof(float);
        if (state.BestWeights is { } best && best.Length != weights || state.AverageWeights is { } average && average.Length != weights)
            throw new InvalidDataException("the saved best or averaged weights do not fit the network");
        using var optimizer = Optimizers.Create(options, network.parameters());
        Restore(state with { TorchRngState = [] }, scratch, optimizer);
    }

    public static void Restore(TrainingState state, Generator shuffle, OptimizerHelper optimizer)
    {
        using (var shuffleState = tensor(state.ShuffleState)) shuffle.set_state(shuffleState);
        if (state.TorchRngState.Length > 0)
            using (var global = tensor(state.TorchRngState)) // under the lock of seeded network creation, which it would disturb
                Model.MnistNetwork.DrawingFromTheGlobalGenerator(() => { random.set_rng_state(global); return 0; });
        using var reader = new BinaryReader(new MemoryStream(state.OptimizerState));
        optimizer.load_state_dict(reader);
    }
}
