using System.CommandLine;
using MnistTrainer.Files;
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
        var settings = new TrainingSettingOptions();
        var output = PathOptions.Output("Model file to write (default: <dataset>.model in the current folder)", required: false);
        var resume = PathOptions.Path("--resume", "Continue an interrupted run from the checkpoint it saved (its settings are kept; the model goes to --output or the default name)", "CHECKPOINT");
        var plot = PathOptions.Path("--plot", "Also draw the loss and accuracy curves per epoch into this PNG file", "FILE.png");
        var metrics = PathOptions.Path("--metrics", "Also write one row per epoch to this file: CSV, or JSON lines if it ends in .jsonl");
        var logdir = PathOptions.Path("--logdir", "Also write TensorBoard event files (scalars per epoch) into this folder", "FOLDER");
        var threads = ThreadOptions.Create();
        var lang = Language.CreateOption();
        var engine = new Option<string?>("--engine") { HelpName = "autograd|manual", Description = "How each step computes the gradient: manual (derived by hand, the default: faster, the same results to float rounding; see docs/benchmarks.md) or autograd (the lesson's loss.backward())" };
        engine.Check(v => v is null or "autograd" or "manual" ? null : $"--engine {v} is not known; choose one of: autograd, manual.");
        var diagnostics = new Option<bool>("--diagnostics") { Description = "Also print memory use (RSS, peak RSS, managed heap) after loading and after each epoch" };

        var command = new Command("train", "Train the lesson's network and save it");
        data.AddTo(command);
        settings.AddTo(command);
        foreach (var option in new Option[] { output, resume, plot, metrics, logdir, threads, lang, engine, diagnostics })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(lang));
            // The run, from the command line or from a checkpoint, whose settings pass the same checks.
            var checkpoint = parse.GetValue(resume) is { } resumePath ? LoadCheckpoint(resumePath, parse, settings, data.Dataset) : null;
            using var resumedNetwork = checkpoint?.Network; // owned from here, so an error before training frees it too
            var dataset = checkpoint != null ? DatasetInfo.Find(checkpoint.Dataset)! : data.GetDataset(parse);
            var options = checkpoint?.Options ?? settings.Read(parse, dataset);
            if (options.Augment == Augmentation.ShiftFlip && dataset == DatasetInfo.Mnist)
                throw new UsageException("--augment shift-flip mirrors images, which makes digits into other shapes (a mirrored 2, 3 or 7 is no digit): use --augment shift for mnist.");
            var chosenEngine = parse.GetValue(engine) == "autograd" ? TrainingEngine.Autograd : TrainingEngine.Manual;

            // Its files, all checked together before any work: a bad plan changes nothing on disk.
            var modelPath = parse.GetValue(output) ?? $"{dataset.Name}.model";
            var checkpointPath = OutputFile.IsStream(modelPath) ? Path.GetFullPath(CheckpointFile.PathFor($"{dataset.Name}.model")) : CheckpointFile.PathFor(modelPath);
            var plan = data.AddTo(new FilePlan(), parse, dataset)
                .Input(resume.Name, parse.GetValue(resume))
                .Output(output.Name, modelPath)
                .Output($"{output.Name}'s checkpoint", checkpointPath, mayReplace: resume.Name)
                .Output(plot.Name, parse.GetValue(plot))
                .Output(metrics.Name, parse.GetValue(metrics))
                .OutputFolder(logdir.Name, parse.GetValue(logdir))
                .Check();
            var say = terminal.AsideFrom(plan);

            ThreadOptions.Apply(parse.GetValue(threads));
            var (allTrainImages, testImages) = DatasetLoading.LoadBoth(dataset, data, parse, say, cancel);
            if (checkpoint != null && checkpoint.TrainCount != allTrainImages.Count)
                throw new CheckpointException(parse.GetValue(resume)!, $"checkpoint is of a run on {checkpoint.TrainCount:N0} training images, but the data has {allTrainImages.Count:N0}");
            if (options.Validation >= allTrainImages.Count)
                throw new UsageException($"--validation {options.Validation} leaves none of the {allTrainImages.Count:N0} training images to train on.");
            var (trainImages, validationImages) = options.Validation > 0
                ? ValidationSplit.Split(allTrainImages, options.Validation, options.Seed)
                : (allTrainImages, null);
            if (options.BatchSize > trainImages.Count)
                throw new UsageException($"--batch-size {options.BatchSize} is larger than the {trainImages.Count:N0} training images.");

            say.Out.WriteLine(Language.Format(Strings.TrainNetwork, MnistNetwork.Description));
            say.Out.WriteLine(Language.Format(Strings.TrainSettings, options.Epochs, options.LearningRate, options.BatchSize, options.Seed, get_num_threads()));
            if (options != Recipes.For(Recipes.Lesson, options.Seed, dataset) with { Epochs = options.Epochs, LearningRate = options.LearningRate, BatchSize = options.BatchSize })
                say.Out.WriteLine(SettingsLine(options));
            if (checkpoint != null)
                say.Out.WriteLine(Language.Format(Strings.TrainResuming, checkpoint.State.Epoch, checkpoint.State.Batch + 1));
            using var train = new ImageTensors(trainImages);
            using var test = new ImageTensors(testImages);
            using var validation = validationImages != null ? new ImageTensors(validationImages) : null;
            using var freshNetwork = resumedNetwork == null ? Trainer.NewNetwork(options.Seed) : null;
            var network = resumedNetwork ?? freshNetwork!;
            bool showMemory = parse.GetValue(diagnostics);
            if (showMemory) say.Out.WriteLine($"  {MemoryReport.Line()}");
            using var sideOutputs = new SideOutputs(parse.GetValue(plot), parse.GetValue(metrics), parse.GetValue(logdir), say.Error);
            TrainingResult result;
            try
            {
                var progress = new ProgressBroadcast([new TrainingReporter(say, showMemory), sideOutputs]);
                result = new Trainer(options) { Engine = chosenEngine }.Run(network, train, test, progress, cancel, checkpoint?.State, validation);
            }
            catch (TrainingInterruptedException stop)
            {
                var state = stop.State;
                var saved = SaveOrRescue(checkpointPath, $"{dataset.Name}.model.ckpt",
                    path => CheckpointFile.Save(path, new Checkpoint(dataset.Name, allTrainImages.Count, options, state, network)), say);
                if (say.IsInteractive) say.Out.WriteLine(); // end the progress bar's line
                say.Error.WriteLine(Language.Format(Strings.TrainInterrupted, state.Epoch, state.Batch + 1, modelPath, saved));
                return ExitCodes.Interrupted;
            }
            // The images (55 MB with the test set) are of no more use: freed and returned to the system first,
            // the save's few MB of serializer and hashing come on top of less, and the run's peak stays its training's.
            train.Dispose();
            test.Dispose();
            validation?.Dispose();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            var metadata = ModelMetadata.For(dataset.Name, dataset.ClassNames, RunSummary.Of(options, result));
            var savedModel = SaveOrRescue(modelPath, $"{dataset.Name}.model", path => ModelFile.Save(path, network, metadata), say);
            if (savedModel != modelPath) return ExitCodes.DataError;
            say.Out.WriteLine(Language.Format(Strings.TrainSaved, modelPath));
            foreach (var written in sideOutputs.Finish())
                say.Out.WriteLine(Language.Format(Strings.TrainWroteFile, written));
            if (sideOutputs.Incomplete.Count == 0) return ExitCodes.Success;
            say.Error.WriteLine($"error: the model is saved, but {string.Join(" and ", sideOutputs.Incomplete)} could not be written in full (see the warning above).");
            return ExitCodes.OutputIncomplete;
        });
        return command;
    }

    /// <summary>
    /// Saves the run's weights with <paramref name="save"/> at <paramref name="path"/>; when that fails (a full disk, a
    /// removed folder), at a fresh name in the current folder, else in the temporary folder, saying where: only if every
    /// place fails are the weights lost, and the first failure is the error. Returns where they were saved.
    /// </summary>
    static string SaveOrRescue(string path, string fileName, Action<string> save, Terminal say)
    {
        try
        {
            save(path);
            return path;
        }
        catch (FileProblemException failed)
        {
            var rescueName = $"rescued-{DateTime.Now:yyyyMMdd-HHmmss}-{fileName}";
            foreach (var folder in new[] { Directory.GetCurrentDirectory(), Path.GetTempPath() })
            {
                var rescue = Path.Combine(folder, rescueName);
                try
                {
                    save(rescue);
                    say.Error.WriteLine($"error: {failed.Message}; saved to {rescue} instead.");
                    return rescue;
                }
                catch (FileProblemException) { }
            }
            throw;
        }
    }

    /// <summary>The settings beyond the lesson's (printed only when some differ from the lesson's).</summary>
    static string SettingsLine(TrainingOptions o) => Language.Format(Strings.TrainMoreSettings, o.Recipe,
        SettingNames.Of(SettingNames.Optimizers, o.Optimizer), o.Momentum, o.Nesterov ? Strings.TrainNesterov : "", o.WeightDecay,
        SettingNames.Of(SettingNames.Schedules, o.Schedule), SettingNames.Of(SettingNames.Augmentations, o.Augment), o.LabelSmoothing,
        o.Validation, SettingNames.Of(SettingNames.Keeps, o.Keep), o.AverageEpochs);

    /// <summary>A checkpoint to resume; its run's settings stay as they were, so options that would change them are refused.</summary>
    static Checkpoint LoadCheckpoint(string path, ParseResult parse, TrainingSettingOptions settings, Option dataset)
    {
        foreach (var option in settings.All.Append(dataset))
            if (parse.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} cannot be given with --resume: the run continues with the checkpoint's settings.");
        var checkpoint = CheckpointFile.Load(path, settings.ProblemWith);
        if (DatasetInfo.Find(checkpoint.Dataset) == null)
        {
            checkpoint.Network.Dispose();
            throw new CheckpointException(path, $"checkpoint is of an unknown dataset '{checkpoint.Dataset}'");
        }
        return checkpoint;
    }
}
