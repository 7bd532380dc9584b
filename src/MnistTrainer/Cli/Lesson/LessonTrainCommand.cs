using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary><c>lesson train</c>: the lesson's full training loop with its "Training loss" line per epoch, then one prediction as a bar chart.</summary>
public static class LessonTrainCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var options = new LessonOptions();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => TrainingOptions.DefaultEpochs };
        var limit = new Option<int?>("--limit") { Description = "Train on only the first N training images (default: all)" };
        // The recipes' settings change only how the loop steps (optimizer, schedule, averaging...), so the lesson's
        // loop and its "Training loss" lines stay what the lesson shows; a validation set is train's business.
        var recipe = new Option<string>("--recipe") { Description = "lesson (the lesson's plain SGD, the default) or accurate (train's best settings; see README)", DefaultValueFactory = _ => Recipes.Lesson };
        recipe.AcceptOnlyFromAmong([.. Recipes.Names]);
        var threads = ThreadOptions.Create();
        epochs.ParseInvariantly();
        limit.ParseInvariantly();
        epochs.Check(v => v < 1 ? "--epochs must be at least 1." : null);
        limit.Check(v => v < 1 ? "--limit must be at least 1." : null);

        var command = new Command("train", "6. The full training loop (\"Training loss\" per epoch), then the class probabilities for one test image");
        options.AddTo(command, readsImages: true);
        command.Options.Add(epochs);
        command.Options.Add(limit);
        command.Options.Add(recipe);
        command.Options.Add(threads);

        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            ThreadOptions.Apply(parse.GetValue(threads));
            long seed = options.GetSeed(parse);
            options.Data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Check();
            var dataset = DatasetLoading.LessonDataset(options.Data, parse, terminal);
            var (train, test) = DatasetLoading.LoadBoth(dataset, options.Data, parse, terminal, cancel);
            if (parse.GetValue(limit) is int n && n < train.Count) train = train.Slice(0, n);
            int imageIndex = new Random(unchecked((int)seed)).Next(test.Count); // the lesson shows a random image; the seed picks it

            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            var preset = Recipes.For(parse.GetValue(recipe)!, seed, dataset);
            var training = parse.GetResult(epochs) is { Implicit: false }
                ? preset with { Epochs = parse.GetValue(epochs), AverageEpochs = Math.Min(preset.AverageEpochs, parse.GetValue(epochs)) }
                : preset;
            report.TrainingStart(training, train.Count);
            var result = LessonSteps.Train(train, test, imageIndex, training, report, cancel);
            report.Prediction(result, test.Image(imageIndex), dataset.ClassNames);
            return ExitCodes.Success;
        });
        return command;
    }
}
