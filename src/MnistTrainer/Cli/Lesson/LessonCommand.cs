using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Lesson;
using MnistTrainer.Model;
using MnistTrainer.Resources;
using MnistTrainer.Training;
using TorchSharp.Modules;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>lesson</c>: the lesson "how to train a neural network", one subcommand per step, each computed for
/// real on real images. The numbers come from MnistTrainer.Lesson; this file only wires options and output.
/// </summary>
public static class LessonCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var lesson = new Command("lesson", "The lesson \"how to train a neural network\", step by step, computed on real data");
        lesson.Subcommands.Add(BatchStep("loss", "1. CrossEntropyLoss of an untrained network's logits on one batch (about ln 10)", terminal, cancel,
            seed => MnistNetwork.CreateLogits(seed), (model, batch, report) => report.Loss(LessonSteps.Loss(model, batch))));
        lesson.Subcommands.Add(BatchStep("logsoftmax", "2. LogSoftmax(dim=1) with NLLLoss: the same loss as CrossEntropyLoss on the logits", terminal, cancel,
            Trainer.NewNetwork, (model, batch, report) => report.LogSoftmax(LessonSteps.LogSoftmax(model, batch))));
        lesson.Subcommands.Add(Autograd(terminal));
        lesson.Subcommands.Add(BatchStep("gradients", "4. The first layer's weight gradient before and after loss.backward()", terminal, cancel,
            Trainer.NewNetwork, (model, batch, report) => report.Gradients(LessonSteps.Gradients(model, batch))));
        lesson.Subcommands.Add(BatchStep("step", "5. One SGD step: the weights before, the gradient, the weights after (new = old − lr·grad)", terminal, cancel,
            Trainer.NewNetwork, (model, batch, report) => report.SgdStep(LessonSteps.SgdStep(model, batch, TrainingOptions.DefaultLearningRate))));
        lesson.Subcommands.Add(Train(terminal, cancel));
        return lesson;
    }

    /// <summary>A step that runs on one batch of training images and a fresh <paramref name="network"/> made from the seed.</summary>
    static Command BatchStep(string name, string description, Terminal terminal, CancellationToken cancel,
        Func<long, Sequential> network, Action<Sequential, LessonBatch, LessonReport> run)
    {
        var options = new StepOptions();
        var command = options.Command(name, description, readsImages: true);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            TorchSharp.torch.set_num_threads(DefaultThreads);
            long seed = parse.SeedOrRandom(options.Seed);
            var (_, train, _) = options.Load(parse, terminal, cancel);
            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            using var images = new ImageTensors(train);
            using var batch = LessonBatch.First(images, seed);
            report.Batch(batch);
            using var model = network(seed);
            run(model, batch, report);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Autograd(Terminal terminal)
    {
        var options = new StepOptions();
        var command = options.Command("autograd", "3. Autograd on y = x**2, z = y.mean(): x.grad before and after z.backward(), and torch.no_grad()", readsImages: false);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            long seed = parse.SeedOrRandom(options.Seed);
            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            report.Autograd(LessonSteps.Autograd(seed));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>lesson train</c>: the lesson's full training loop with its "Training loss" line per epoch, then one prediction as a bar chart.</summary>
    static Command Train(Terminal terminal, CancellationToken cancel)
    {
        var options = new StepOptions();
        // train's --epochs and --recipe. The recipes' settings change only how the loop steps (optimizer, schedule,
        // averaging...), so the lesson's loop and its "Training loss" lines stay what the lesson shows; a validation
        // set is train's business.
        var settings = new TrainingSettingOptions();
        var limit = new Option<int?>("--limit") { Description = "Train on only the first N training images (default: all)" };
        var threads = Threads();
        limit.ParseInvariantly();
        limit.Check(v => v < 1 ? "--limit must be at least 1." : null);

        var command = options.Command("train", "6. The full training loop (\"Training loss\" per epoch), then the class probabilities for one test image",
            readsImages: true, settings.Epochs, limit, settings.Recipe, threads);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            long seed = parse.SeedOrRandom(options.Seed);
            var (dataset, train, test) = options.Load(parse, terminal, cancel);
            if (parse.GetValue(limit) is int n && n < train.Count) train = train.Slice(0, n);
            int imageIndex = new Random(unchecked((int)seed)).Next(test.Count); // the lesson shows a random image; the seed picks it

            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            var preset = Recipes.For(parse.GetValue(settings.Recipe)!, seed, dataset);
            int epochs = parse.GetValue(settings.Epochs);
            var training = parse.GetResult(settings.Epochs) is { Implicit: false }
                ? preset with { Epochs = epochs, AverageEpochs = Math.Min(preset.AverageEpochs, epochs) }
                : preset;
            report.TrainingStart(training, train.Count);
            var result = LessonSteps.Train(train, test, imageIndex, training, report, cancel);
            report.Prediction(result, test.Image(imageIndex), dataset.ClassNames);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The options of every lesson step: the seed and the language, and for the steps that read images, the dataset.</summary>
    sealed class StepOptions
    {
        public DataOptions Data { get; } = new(defaultDataset: "mnist when found locally, else fashion-mnist when found locally; nothing is downloaded to choose");
        public Option<long?> Seed { get; } = SharedOptions.Seed("everything random: initial weights, batches, x, the image shown");
        public Option<string?> Lang { get; } = SharedOptions.Lang();

        public Command Command(string name, string description, bool readsImages, params Option[] more) =>
            NewCommand(name, description, [.. readsImages ? Data.All : [], Seed, Lang, .. more]);

        /// <summary>
        /// The dataset named with --dataset, or else the lesson's default (<see cref="LessonDatasetChoice"/>), saying so
        /// when MNIST is missing and another dataset stands in; then read.
        /// </summary>
        public (DatasetInfo Dataset, LabeledImages Train, LabeledImages Test) Load(ParseResult parse, Terminal terminal, CancellationToken cancel)
        {
            Data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Check();
            var dataset = Data.GetDataset(parse);
            if (dataset == null)
            {
                var local = Data.GetLocator(parse, localOnly: true);
                var choice = LessonDatasetChoice.Choose(d => IsOnThisMachine(local, d));
                if (choice.MnistMissing)
                    terminal.Out.WriteLine(choice.Dataset == DatasetInfo.Mnist ? Strings.LessonNoDataset : Strings.LessonMnistMissing);
                dataset = choice.Dataset;
            }
            var (train, test) = Data.LoadBoth(dataset, parse, terminal, cancel);
            return (dataset, train, test);
        }

        static bool IsOnThisMachine(DatasetLocator local, DatasetInfo dataset)
        {
            try { local.Locate(dataset); }
            catch (DatasetNotFoundException) { return false; }
            return true;
        }
    }
}
