using System.Diagnostics;
using System.Runtime.InteropServices;
using MnistTrainer.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>What the trainer reports while it runs; the command layer decides how to show it.</summary>
public abstract record TrainingProgress(int Epoch, int Epochs);

/// <summary>A batch finished; <see cref="AverageLoss"/> is the running loss so far divided by the batches done.</summary>
public sealed record BatchCompleted(int Epoch, int Epochs, int Batch, int Batches, double AverageLoss)
    : TrainingProgress(Epoch, Epochs);

/// <summary>
/// An epoch finished: the lesson's figure (running loss / batches), the test and validation sets' loss and accuracy,
/// the learning rate of its last step. <see cref="Replayed"/>: an epoch run before an interruption, reported again when
/// the run resumes so that what collects the epochs has them all.
/// </summary>
public sealed record EpochCompleted(int Epoch, int Epochs, double AverageLoss, TimeSpan Duration, double? TestAccuracy,
    double? TestLoss = null, double? ValidationLoss = null, double? ValidationAccuracy = null, double LearningRate = 0, bool Replayed = false)
    : TrainingProgress(Epoch, Epochs);

/// <summary>
/// The run ended with other weights than the last epoch's: those of epoch <see cref="KeptEpoch"/> (the best on the
/// validation set), or the average of the last <see cref="AveragedEpochs"/> epochs; with their validation and test scores.
/// </summary>
public sealed record WeightsChosen(int Epoch, int Epochs, int? KeptEpoch, int AveragedEpochs, double? ValidationAccuracy, double? TestAccuracy)
    : TrainingProgress(Epoch, Epochs);

/// <summary>A finished run: its epochs' losses and reports, the test accuracy of the weights it ends with, and which weights those are when not the last epoch's.</summary>
public sealed record TrainingResult(IReadOnlyList<double> EpochLosses, double? TestAccuracy, IReadOnlyList<EpochCompleted> History, WeightsChosen? Chosen);

/// <summary>
/// The lesson's training loop: for each shuffled mini-batch, zero_grad, forward, NLLLoss, backward, optimizer step;
/// after each epoch the average running loss (running_loss / number of batches). The other <see cref="TrainingOptions"/>
/// add a learning-rate schedule, augmentation, label smoothing, a validation set, keeping the best epoch and averaging
/// the last epochs' weights. By default the gradients are derived by hand (<see cref="ManualStep"/>: the same arithmetic
/// without autograd's graph) and the optimizer's rule is libtorch's fused kernel (<see cref="FusedUpdate"/>), or for
/// plain SGD folded into the products; <see cref="Engine"/> may ask for the lesson's autograd and <c>optimizer.step()</c>.
/// </summary>
public sealed class Trainer(TrainingOptions options)
{
    public TrainingEngine Engine { get; init; } = TrainingEngine.Manual;

    public static Sequential NewNetwork(long seed) => MnistNetwork.Create(seed);

    /// <summary>Trains <paramref name="network"/>, from the start or from <paramref name="resume"/>.</summary>
    /// <exception cref="TrainingInterruptedException"><paramref name="cancel"/> fired: the run stopped before the next batch, and this carries the state to resume from.</exception>
    public TrainingResult Run(Sequential network, ImageTensors train, ImageTensors? test,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, TrainingState? resume = null,
        ImageTensors? validation = null)
    {
        using var criterion = nn.NLLLoss();
        using var optimizer = Optimizers.Create(options, network.parameters());
        using var shuffle = new Generator((ulong)options.Seed);
        var augmenter = options.Augment == Augmentation.None ? null : new ImageAugmenter(options.Augment, options.Seed);
        var parameters = network.parameters().ToArray();
        using var manualStep = Engine == TrainingEngine.Manual ? new ManualStep(network, options.LabelSmoothing) : null;
        // Plain SGD's update is folded into the step's products; any other optimizer's is libtorch's fused kernel.
        bool foldedSgd = manualStep != null && ManualStep.FoldsUpdate(options);
        using var fusedUpdate = manualStep != null && !foldedSgd ? new FusedUpdate(optimizer) : null;
        using var loader = new BatchLoader(train, options.BatchSize);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = (long)batches * options.Epochs;
        double learningRate = options.LearningRate;
        var losses = new List<double>(resume?.EpochLosses ?? []);
        double? accuracy = resume?.TestAccuracy;
        var history = new List<EpochCompleted>(resume?.History ?? []);
        var kept = new KeptWeights(options, parameters, resume);
        if (resume != null)
        {
            resume.Restore(shuffle, optimizer);
            foreach (var epoch in history) progress?.Report(epoch with { Replayed = true });
        }

        for (int epoch = resume?.Epoch ?? 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            network.train();
            bool resumed = resume != null && epoch == resume.Epoch;
            double runningLoss = resumed ? resume!.RunningLoss : 0;
            var shuffleState = TrainingState.StateOf(shuffle);
            using var order = randperm(train.Count, generator: shuffle);
            for (int batch = resumed ? resume!.Batch : 0; batch < batches; batch++)
            {
                if (cancel.IsCancellationRequested)
                    throw new TrainingInterruptedException(kept.AddTo(TrainingState.Capture(
                        epoch, batch, runningLoss, losses, accuracy, shuffleState, optimizer) with { History = [.. history] }), cancel);
                using var scope = NewDisposeScope();
                if (options.Schedule != ScheduleKind.Constant)
                {
                    learningRate = LearningRateSchedule.At(options.Schedule, options.LearningRate, (long)(epoch - 1) * batches + batch, totalSteps, batches);
                    Optimizers.SetLearningRate(optimizer, learningRate);
                }
                augmenter?.StartBatch(epoch, batch);
                int start = batch * options.BatchSize;
                var (images, labels) = loader.Load(order, start, Math.Min(options.BatchSize, train.Count - start), augmenter);

                float batchLoss;
                if (foldedSgd) batchLoss = manualStep!.SgdStep(images, labels, learningRate);
                else if (manualStep != null)
                {
                    batchLoss = manualStep.Backward(images, labels);
                    fusedUpdate!.Step();
                }
                else
                {
                    // zero_grad as PyTorch 2 does it (set_to_none): backward then stores each gradient instead of adding it to
                    // a zero-filled one: the same values, two passes over the weights fewer (TorchSharp's zero_grad fills zeros).
                    foreach (var parameter in parameters) parameter.grad = null;
                    var output = network.call(images);
                    var loss = options.LabelSmoothing > 0 ? SmoothedLoss(output, labels) : criterion.call(output, labels);
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
            var onTest = test != null ? Evaluator.Evaluate(network, test) : null;
            var onValidation = validation != null ? Evaluator.Evaluate(network, validation) : null;
            if (onTest != null) accuracy = onTest.Accuracy;
            kept.EpochEnded(epoch, onValidation?.Accuracy);
            // Each torch call leaves a small wrapper object behind (about 5 KB a batch). The GC sizes its
            // first generation from the CPU's cache (260 MB of L3 on a cloud VM), so unprompted it would
            // let them pile up for dozens of epochs; a young-generation collection here keeps memory flat.
            GC.Collect(0);
            var report = new EpochCompleted(epoch, options.Epochs, averageLoss, duration, accuracy,
                onTest?.AverageLoss, onValidation?.AverageLoss, onValidation?.Accuracy, learningRate);
            history.Add(report);
            progress?.Report(report);
        }
        var chosen = kept.Choose(network, test, validation);
        if (chosen != null)
        {
            accuracy = chosen.TestAccuracy;
            progress?.Report(chosen);
        }
        return new TrainingResult(losses, accuracy, history, chosen);
    }

    /// <summary>NLL loss with label smoothing S, as PyTorch's CrossEntropyLoss(label_smoothing=S): (1 − S)·NLL + S·(mean over classes of −log p).</summary>
    Tensor SmoothedLoss(Tensor logProbabilities, Tensor labels)
    {
        double s = options.LabelSmoothing;
        using var nll = nn.functional.nll_loss(logProbabilities, labels);
        using var uniform = logProbabilities.mean();
        return nll.mul(1 - s).sub_(uniform.mul(s));
    }

    /// <summary>
    /// The weights a run may end with instead of its last epoch's: the best epoch's on the validation set (<see cref="KeepWeights.Best"/>),
    /// the running average of the last epochs' (stochastic weight averaging). Each is the parameters as one float array in
    /// <c>parameters()</c> order; a checkpoint holds them as bytes.
    /// </summary>
    sealed class KeptWeights(TrainingOptions options, Parameter[] parameters, TrainingState? resume)
    {
        int bestEpoch = resume?.BestEpoch ?? 0;
        double bestAccuracy = resume?.BestValidationAccuracy ?? 0;
        float[]? best = resume?.BestWeights is { } b ? MemoryMarshal.Cast<byte, float>(b).ToArray() : null;
        int averaged = resume?.AveragedEpochs ?? 0;
        float[] average = resume?.AverageWeights is { } a ? MemoryMarshal.Cast<byte, float>(a).ToArray() : [];

        public void EpochEnded(int epoch, double? validationAccuracy)
        {
            if (options.Keep == KeepWeights.Best && validationAccuracy is double accuracy && (bestEpoch == 0 || accuracy > bestAccuracy))
                (bestEpoch, bestAccuracy, best) = (epoch, accuracy, Capture());
            if (epoch <= options.Epochs - options.AverageEpochs) return;
            if (averaged == 0) average = Capture();
            else
            {
                var current = Capture();
                for (int i = 0; i < average.Length; i++) average[i] += (current[i] - average[i]) / (averaged + 1);
            }
            averaged++;
        }

        public TrainingState AddTo(TrainingState state) => state with
        {
            BestEpoch = bestEpoch, BestValidationAccuracy = bestAccuracy, BestWeights = best != null ? MemoryMarshal.AsBytes(best.AsSpan()).ToArray() : null,
            AverageWeights = averaged > 0 ? MemoryMarshal.AsBytes(average.AsSpan()).ToArray() : null, AveragedEpochs = averaged,
        };

        /// <summary>
        /// Puts the average or the best epoch's weights into the network, whichever scores better on the validation set
        /// (the test set is only reported); null when the last epoch's weights stay.
        /// </summary>
        public WeightsChosen? Choose(Sequential network, ImageTensors? test, ImageTensors? validation)
        {
            if (averaged == 0 && bestEpoch == 0) return null;
            int? kept = null;
            double? validationAccuracy = null;
            if (averaged > 0)
            {
                Restore(average);
                validationAccuracy = validation != null ? Evaluator.Evaluate(network, validation).Accuracy : null;
            }
            if (bestEpoch > 0 && !(validationAccuracy >= bestAccuracy))
            {
                Restore(best!);
                (kept, validationAccuracy) = (bestEpoch, bestAccuracy);
            }
            double? testAccuracy = test != null ? Evaluator.Evaluate(network, test).Accuracy : null;
            return new WeightsChosen(options.Epochs, options.Epochs, kept, kept == null ? averaged : 0, validationAccuracy, testAccuracy);
        }

        float[] Capture() => parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();

        void Restore(float[] weights)
        {
            int offset = 0;
            foreach (var parameter in parameters)
            {
                var target = MemoryMarshal.Cast<byte, float>(parameter.bytes);
                weights.AsSpan(offset, target.Length).CopyTo(target);
                offset += target.Length;
            }
        }
    }
}
