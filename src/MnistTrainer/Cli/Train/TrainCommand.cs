using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Resources;
using MnistTrainer.Training;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>train</c>: the lesson's training run on a whole dataset, saving the model at the end. This file reads the
/// command line into a <see cref="TrainingRequest"/>, which <see cref="TrainingRun"/> carries out, and words the outcome.
/// </summary>
public static class TrainCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var data = new DataOptions();
        var settings = new TrainingSettingOptions();
        var output = Output("Model file to write (default: <dataset>.model in the current folder)", required: false);
        var resume = PathOption("--resume", "Continue an interrupted run from the checkpoint it saved (its settings are kept; the model goes to --output or the default name)", "CHECKPOINT");
        var plot = PathOption("--plot", "Also draw the loss and accuracy curves per epoch into this PNG file", "FILE.png");
        var metrics = PathOption("--metrics", "Also write one row per epoch to this file: CSV, or JSON lines if it ends in .jsonl");
        var logdir = PathOption("--logdir", "Also write TensorBoard event files (scalars per epoch) into this folder", "FOLDER");
        var threads = Threads();
        var lang = Lang();
        var engine = new Option<string?>("--engine") { HelpName = "autograd|manual", Description = "How each step computes the gradient: manual (derived by hand, the default: faster, the same results to float rounding; see docs/benchmarks.md) or autograd (the lesson's loss.backward())" };
        engine.Check(v => v is null or "autograd" or "manual" ? null : $"--engine {v} is not known; choose one of: autograd, manual.");
        var diagnostics = new Option<bool>("--diagnostics") { Description = "Also print memory use (RSS, peak RSS, managed heap) after loading and after each epoch" };

        var command = NewCommand("train", "Train the lesson's network and save it",
            [.. data.All, .. settings.All, output, resume, plot, metrics, logdir, threads, lang, engine, diagnostics]);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(lang));
            // The run, from the command line or from a checkpoint, whose settings pass the same checks.
            var resumePath = parse.GetValue(resume);
            var checkpoint = resumePath != null ? LoadCheckpoint(resumePath, parse, settings, data.Dataset) : null;
            using var resumedNetwork = checkpoint?.Network; // owned from here, so an error before training frees it too
            var dataset = checkpoint != null ? DatasetInfo.Find(checkpoint.Dataset)! : data.GetDataset(parse)!;
            var options = checkpoint?.Options ?? settings.Read(parse, dataset);
            if (options.Augment == Augmentation.ShiftFlip && dataset == DatasetInfo.Mnist)
                throw new UsageException("--augment shift-flip mirrors images, which makes digits into other shapes (a mirrored 2, 3 or 7 is no digit): use --augment shift for mnist.");

            // Its files, all checked together before any work: a bad plan changes nothing on disk.
            var modelPath = parse.GetValue(output) ?? DefaultModelFile(dataset);
            var checkpointPath = CheckpointFile.PathFor(OutputFile.IsStream(modelPath) ? Path.GetFullPath(DefaultModelFile(dataset)) : modelPath);
            var plan = data.AddTo(new FilePlan(), parse, dataset)
                .Input(resume.Name, resumePath)
                .Output(output.Name, modelPath)
                .Output($"{output.Name}'s checkpoint", checkpointPath, mayReplace: resume.Name)
                .Output(plot.Name, parse.GetValue(plot))
                .Output(metrics.Name, parse.GetValue(metrics))
                .OutputFolder(logdir.Name, parse.GetValue(logdir))
                .Check();
            var say = terminal.AsideFrom(plan);

            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var (train, test) = data.LoadBoth(dataset, parse, say, cancel);
            if (checkpoint != null && checkpoint.TrainCount != train.Count)
                throw new CheckpointException(resumePath!, $"checkpoint is of a run on {checkpoint.TrainCount:N0} training images, but the data has {train.Count:N0}");
            if (options.Validation >= train.Count)
                throw new UsageException($"--validation {options.Validation} leaves none of the {train.Count:N0} training images to train on.");
            if (options.BatchSize > train.Count - options.Validation)
                throw new UsageException($"--batch-size {options.BatchSize} is larger than the {train.Count - options.Validation:N0} training images.");

            var reporter = new TrainingReporter(say, parse.GetValue(diagnostics));
            reporter.Starting(options, checkpoint?.State);
            var request = new TrainingRequest(dataset, options, train, test, modelPath, checkpointPath, checkpoint,
                parse.GetValue(engine) == "autograd" ? TrainingEngine.Autograd : TrainingEngine.Manual,
                parse.GetValue(plot), parse.GetValue(metrics), parse.GetValue(logdir));
            return Report(TrainingRun.Run(request, reporter, reporter, cancel), modelPath, say);
        });
        return command;
    }

    static int Report(TrainingOutcome outcome, string modelPath, Terminal say)
    {
        if (outcome.SaveFailed is { } failed)
            ErrorReport.Error(say.Error, $"{failed.Message}; saved to {outcome.SavedTo} instead.");
        if (outcome.InterruptedAt is { } state)
        {
            if (say.IsInteractive) say.Out.WriteLine(); // end the progress bar's line
            say.Error.WriteLine(Language.Format(Strings.TrainInterrupted, state.Epoch, state.Batch + 1, modelPath, outcome.SavedTo));
            return ExitCodes.Interrupted;
        }
        if (outcome.SaveFailed != null) return ExitCodes.DataError;
        say.Out.WriteLine(Language.Format(Strings.TrainSaved, modelPath));
        foreach (var written in outcome.Written)
            say.Out.WriteLine(Language.Format(Strings.TrainWroteFile, written));
        if (outcome.Incomplete.Count == 0) return ExitCodes.Success;
        var incomplete = outcome.Incomplete.Select(output => $"{TrainingReporter.OptionOf(output.Output)} {output.Path}");
        ErrorReport.Error(say.Error, $"the model is saved, but {string.Join(" and ", incomplete)} could not be written in full (see the warning above).");
        return ExitCodes.OutputIncomplete;
    }

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
