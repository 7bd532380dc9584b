using System.Diagnostics;
using MnistTrainer.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>The per-epoch losses of a finished run and the last test accuracy.</summary>
public sealed record TrainingResult(IReadOnlyList<double> EpochLosses, double? TestAccuracy);

/// <summary>
/// The lesson's training loop: for each shuffled mini-batch, zero_grad, forward, NLLLoss, backward,
/// SGD step; after each epoch the average running loss (running_loss / number of batches).
/// </summary>
public sealed class Trainer(TrainingOptions options)
{
    /// <summary>How the steps compute the gradient; the lesson sets <see cref="TrainingEngine.Autograd"/>.</summary>
    public TrainingEngine Engine { get; init; } = TrainingEngine.Automatic;

    /// <summary>A fresh network whose initial weights are fixed by the seed.</summary>
    public static Sequential NewNetwork(long seed)
    {
        manual_seed(seed);
        return MnistNetwork.Create();
    }

    /// <summary>
    /// Trains <paramref name="network"/>, from the start or from <paramref name="resume"/>. When
    /// <paramref name="cancel"/> fires it stops before the next batch.
    /// </summary>
    /// <exception cref="TrainingInterruptedException">Cancelled; it carries the state to resume from.</exception>
    public TrainingResult Run(Sequential network, ImageTensors train, ImageTensors? test,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, TrainingState? resume = null)
    {
        using var criterion = nn.NLLLoss();
        using var optimizer = optim.SGD(network.parameters(), options.LearningRate);
        using var shuffle = new Generator((ulong)options.Seed);
        using var loader = new BatchLoader(train, options.BatchSize);
        var parameters = network.parameters().ToArray();
        // Plain SGD (all this trainer does) can take the hand-derived step; anything else must use autograd.
        using var manualStep = Engine == TrainingEngine.Autograd ? null : new ManualSgdStep(network, options.LearningRate);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var losses = new List<double>(resume?.EpochLosses ?? []);
        double? accuracy = resume?.TestAccuracy;
        if (resume != null) TrainingStateIO.Restore(resume, shuffle, optimizer);

        for (int epoch = resume?.Epoch ?? 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            network.train();
            bool resumed = resume != null && epoch == resume.Epoch;
            double runningLoss = resumed ? resume!.RunningLoss : 0;
            var shuffleState = TrainingStateIO.Save(shuffle);
            using var order = randperm(train.Count, generator: shuffle);
            for (int batch = resumed ? resume!.Batch : 0; batch < batches; batch++)
            {
                if (cancel.IsCancellationRequested)
                    throw new TrainingInterruptedException(TrainingStateIO.Capture(
                        epoch, batch, runningLoss, losses, accuracy, shuffleState, optimizer), cancel);
                using var scope = NewDisposeScope();
                int start = batch * options.BatchSize;
                var (images, labels) = loader.Load(order, start, Math.Min(options.BatchSize, train.Count - start));

                float batchLoss;
                if (manualStep != null) batchLoss = manualStep.Step(images, labels);
                else
                {
                    ZeroGrad(parameters);
                    var output = network.call(images);
                    var loss = criterion.call(output, labels);
                    loss.backward();
                    optimizer.step();
                    batchLoss = loss.item<float>();
                }

                runningLoss += batchLoss;
                progress?.Report(new BatchCompleted(epoch, options.Epochs, batch + 1, batches, runningLoss / (batch + 1)));
            }
            var duration = clock.Elapsed;
            double averageLoss = runningLoss / batches;
            losses.Add(averageLoss);
            if (test != null) accuracy = Evaluator.Evaluate(network, test).Accuracy;
            // Each torch call leaves a small wrapper object behind (about 5 KB a batch). The GC sizes its
            // first generation from the CPU's cache (260 MB of L3 on a cloud VM), so unprompted it would
            // let them pile up for dozens of epochs; a young-generation collection here keeps memory flat.
            GC.Collect(0);
            progress?.Report(new EpochCompleted(epoch, options.Epochs, averageLoss, duration, accuracy));
        }
        return new TrainingResult(losses, accuracy);
    }

    /// <summary>
    /// <c>optimizer.zero_grad()</c> as PyTorch 2 does it (set_to_none): backward then stores each new
    /// gradient instead of adding it to a zero-filled one. Same values (0 + g is g), two passes over
    /// the weights fewer per batch; TorchSharp's SGD.zero_grad() still fills with zeros.
    /// </summary>
    static void ZeroGrad(Parameter[] parameters)
    {
        foreach (var parameter in parameters) parameter.grad = null;
    }
}
