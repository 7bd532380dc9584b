using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Resources;
using MnistTrainer.Training;
using static TorchSharp.torch;

namespace MnistTrainer.Cli;

/// <summary><c>train</c>: the lesson's training run on a whole dataset, saving the model at the end.</summary>
public static class TrainCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var data = new DataOptions();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => TrainingOptions.DefaultEpochs };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => TrainingOptions.DefaultLearningRate };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per mini-batch", DefaultValueFactory = _ => TrainingOptions.DefaultBatchSize };
        var output = new Option<string?>("--output", "-o") { Description = "Model file to write (default: <dataset>.model in the current folder)" };
        var seed = new Option<long?>("--seed") { Description = "Seed for the initial weights and the shuffling (default: random, printed)" };
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run from the checkpoint it saved (its settings are kept)" };
        var threads = ThreadOptions.Create();
        var lang = Language.CreateOption();
        var engine = new Option<string?>("--engine") { HelpName = "autograd|manual", Description = "How each step computes the gradient: autograd (the lesson's loss.backward()) or manual (derived by hand, same results to 1e-6, faster; see docs/benchmarks.md). Default: manual" };
        engine.Check(v => v is null or "autograd" or "manual" ? null : $"--engine {v} is not known; choose one of: autograd, manual.");
        var diagnostics = new Option<bool>("--diagnostics") { Description = "Also print memory use (RSS, peak RSS, managed heap) after loading and after each epoch" };

        epochs.ParseInvariantly();
        lr.ParseInvariantly();
        batchSize.ParseInvariantly();
        seed.ParseInvariantly();
        epochs.Check(v => v < 1 ? "--epochs must be at least 1." : null);
        lr.Check(v => !double.IsFinite(v) || v <= 0 || v > 10 ? $"--lr must be a number greater than 0 and at most 10 (got {v})." : null);
        batchSize.Check(v => v < 1 ? "--batch-size must be at least 1." : null);

        var command = new Command("train", "Train the lesson's network and save it");
        data.AddTo(command);
        foreach (var option in new Option[] { epochs, lr, batchSize, output, seed, resume, threads, lang, engine, diagnostics })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(lang));
            ThreadOptions.Apply(parse.GetValue(threads));
            var checkpoint = parse.GetValue(resume) is { } checkpointPath
                ? LoadCheckpoint(checkpointPath, parse, [epochs, lr, batchSize, seed, data.Dataset])
                : null;
            var options = checkpoint?.Options ?? new TrainingOptions(parse.GetValue(epochs), parse.GetValue(lr), parse.GetValue(batchSize),
                parse.GetValue(seed) ?? Random.Shared.NextInt64(0, 1L << 31));
            var dataset = checkpoint != null ? DatasetInfo.Find(checkpoint.Dataset)! : data.GetDataset(parse);
            var modelPath = parse.GetValue(output) ?? checkpoint?.ModelPath ?? $"{dataset.Name}.model";
            ModelFile.CheckCanSave(modelPath);
            var (trainImages, testImages) = DatasetLoading.LoadBoth(dataset, data, parse, terminal, cancel);
            if (options.BatchSize > trainImages.Count)
                throw new UsageException($"--batch-size {options.BatchSize} is larger than the {trainImages.Count:N0} training images.");
            if (checkpoint != null && checkpoint.TrainCount != trainImages.Count)
                throw new ModelFileException(parse.GetValue(resume)!, $"checkpoint is of a run on {checkpoint.TrainCount:N0} training images, but the data has {trainImages.Count:N0}");

            terminal.Out.WriteLine(Language.Format(Strings.TrainNetwork, MnistNetwork.Description));
            terminal.Out.WriteLine(Language.Format(Strings.TrainSettings, options.Epochs, options.LearningRate, options.BatchSize, options.Seed, get_num_threads()));
            if (checkpoint != null)
                terminal.Out.WriteLine(Language.Format(Strings.TrainResuming, checkpoint.State.Epoch, checkpoint.State.Batch + 1));
            using var train = new ImageTensors(trainImages);
            using var test = new ImageTensors(testImages);
            using var network = checkpoint?.Network ?? Trainer.NewNetwork(options.Seed);
            bool showMemory = parse.GetValue(diagnostics);
            if (showMemory) terminal.Out.WriteLine($"  {MemoryReport.Line()}");
            TrainingResult result;
            try
            {
                result = new Trainer(options) { Engine = parse.GetValue(engine) switch { "autograd" => TrainingEngine.Autograd, "manual" => TrainingEngine.Manual, _ => TrainingEngine.Automatic } }.Run(network, train, test, new TrainingReporter(terminal, showMemory), cancel, checkpoint?.State);
            }
            catch (TrainingInterruptedException stop)
            {
                var state = stop.State;
                var path = CheckpointFile.PathFor(modelPath);
                CheckpointFile.Save(path, new Checkpoint(dataset.Name, trainImages.Count, Path.GetFullPath(modelPath), options, state, network));
                if (terminal.IsInteractive) terminal.Out.WriteLine(); // end the progress bar's line
                terminal.Error.WriteLine(Language.Format(Strings.TrainInterrupted, state.Epoch, state.Batch + 1, modelPath, path));
                return ExitCodes.Interrupted;
            }
            var summary = new TrainingSummary(options.Epochs, options.LearningRate, options.BatchSize, options.Seed,
                result.EpochLosses, result.TestAccuracy, DateTimeOffset.UtcNow);
            ModelFile.Save(modelPath, network, ModelMetadata.For(dataset.Name, dataset.ClassNames, summary));
            terminal.Out.WriteLine(Language.Format(Strings.TrainSaved, modelPath));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A checkpoint to resume; its run's settings stay as they were, so options that would change them are refused.</summary>
    static Checkpoint LoadCheckpoint(string path, ParseResult parse, Option[] settings)
    {
        foreach (var option in settings)
            if (parse.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} cannot be given with --resume: the run continues with the checkpoint's settings.");
        var checkpoint = CheckpointFile.Load(path);
        if (DatasetInfo.Find(checkpoint.Dataset) == null)
        {
            checkpoint.Network.Dispose();
            throw new ModelFileException(path, $"checkpoint is of an unknown dataset '{checkpoint.Dataset}'");
        }
        return checkpoint;
    }
}
