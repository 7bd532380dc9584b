using System.CommandLine;
using System.Globalization;
using System.Numerics;
using MnistTrainer.Data;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// The options that set how <c>train</c> trains. A --recipe gives every setting a value; an option
/// given on the command line overrides the recipe's. They make up the run's <see cref="TrainingOptions"/>.
/// </summary>
public sealed class TrainingSettingOptions
{
    public Option<string> Recipe { get; } = Choice("--recipe", "Named settings: lesson (the lesson's plain SGD, the default) or accurate (the best found for this network on validation data, per dataset; see README)", Recipes.Names, Recipes.Lesson);
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training set (default: the recipe's; lesson 5)", DefaultValueFactory = _ => TrainingOptions.DefaultEpochs };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate; with --schedule, its peak (default: the recipe's; lesson 0.01)", DefaultValueFactory = _ => TrainingOptions.DefaultLearningRate };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Images per mini-batch (default: the recipe's; lesson 64)", DefaultValueFactory = _ => TrainingOptions.DefaultBatchSize };
    public Option<long?> Seed { get; } = SharedOptions.Seed("the initial weights, the shuffling, the validation split and the augmentation");
    public Option<string> Optimizer { get; } = Choice("--optimizer", "Optimizer: sgd, adam or adamw", SettingNames.Optimizers.Keys, "sgd");
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum (0: none); for adam/adamw, beta1 (0: their 0.9)" };
    public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "Nesterov momentum (SGD, needs --momentum)" };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay (L2 penalty; decoupled for adamw)" };
    public Option<string> Schedule { get; } = Choice("--schedule", "Learning rate over the run: constant, step (x0.1 at 50% and 75% of the epochs), cosine (down to 0), onecycle (up to --lr over 30%, then down)", SettingNames.Schedules.Keys, "constant");
    public Option<string> Augment { get; } = Choice("--augment", "Random changes to training images: none, shift (up to 2 pixels), shift-flip (also mirrored left-right; clothing only)", SettingNames.Augmentations.Keys, "none");
    public Option<double> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing S: the target gives 1-S to the label and S spread over all classes" };
    public Option<int> Validation { get; } = new("--validation") { Description = "Hold out N training images (chosen by the seed) and report their loss and accuracy after each epoch" };
    public Option<string> Keep { get; } = Choice("--keep", "Weights to save: last (the last epoch's, or --average's) or best (the epoch with the best validation accuracy; needs --validation)", SettingNames.Keeps.Keys, "last");
    public Option<int> Average { get; } = new("--average") { Description = "Save the average of the weights at the end of the last N epochs (0: off)" };

    public IEnumerable<Option> All => [Recipe, Epochs, LearningRate, BatchSize, Seed, Optimizer, Momentum, Nesterov, WeightDecay, Schedule, Augment, LabelSmoothing, Validation, Keep, Average];

    /// <summary>Each setting's range, checked on the command line and again on the settings a checkpoint brings back.</summary>
    readonly List<Func<TrainingOptions, string?>> ranges = [];

    public TrainingSettingOptions()
    {
        Range(Epochs, "at least 1", v => v >= 1, o => o.Epochs);
        Range(LearningRate, "a number greater than 0 and at most 10", v => v > 0 && v <= 10, o => o.LearningRate);
        Range(BatchSize, "at least 1", v => v >= 1, o => o.BatchSize);
        Range(Momentum, "at least 0 and less than 1", v => v >= 0 && v < 1, o => o.Momentum);
        Range(WeightDecay, "between 0 and 1", v => v >= 0 && v <= 1, o => o.WeightDecay);
        Range(LabelSmoothing, "at least 0 and less than 1", v => v >= 0 && v < 1, o => o.LabelSmoothing);
        Range(Validation, "0 or more", v => v >= 0, o => o.Validation);
        Range(Average, "0 or more", v => v >= 0, o => o.AverageEpochs);
    }

    /// <summary>
    /// <paramref name="option"/>'s range: said in its --help, checked when the command line is read (invariantly; NaN and
    /// infinities fail every range), and kept to check a checkpoint's <paramref name="setting"/> with the same words.
    /// </summary>
    void Range<T>(Option<T> option, string range, Func<T, bool> holds, Func<TrainingOptions, T> setting) where T : INumberBase<T>
    {
        option.ParseInvariantly();
        option.Description += $" [{range}]";
        string? Problem(T value) => holds(value) ? null : $"{option.Name} must be {range} (got {Convert.ToString(value, CultureInfo.InvariantCulture)}).";
        option.Check(Problem);
        ranges.Add(options => Problem(setting(options)));
    }

    /// <summary>What is wrong with <paramref name="options"/>, worded for the command line; null when every setting is in range and they go together.</summary>
    public string? ProblemWith(TrainingOptions options)
    {
        if (ranges.Select(r => r(options)).FirstOrDefault(p => p != null) is { } outOfRange) return outOfRange;
        if (!Enum.IsDefined(options.Optimizer) || !Enum.IsDefined(options.Schedule) || !Enum.IsDefined(options.Augment) || !Enum.IsDefined(options.Keep)
            || !Recipes.Names.Contains(options.Recipe))
            return "a setting names an optimizer, schedule, augmentation, kept weights or recipe this program does not know.";
        if (options.Nesterov && (options.Optimizer != OptimizerKind.Sgd || options.Momentum == 0))
            return "--nesterov needs --optimizer sgd and a --momentum above 0.";
        if (options.Keep == KeepWeights.Best && options.Validation == 0)
            return "--keep best needs a validation set to choose on: give --validation N (the test set is never used to choose).";
        if (options.AverageEpochs > options.Epochs)
            return $"--average {options.AverageEpochs} is more than the {options.Epochs} epochs of the run.";
        return null;
    }

    /// <summary>The recipe's settings with the options given on the command line put over them; usage errors for combinations that make no sense.</summary>
    public TrainingOptions Read(ParseResult parse, DatasetInfo dataset)
    {
        T Given<T>(Option<T> option, T recipeValue) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : recipeValue;
        var recipe = Recipes.For(parse.GetValue(Recipe)!, parse.SeedOrRandom(Seed), dataset);
        var options = recipe with
        {
            Epochs = Given(Epochs, recipe.Epochs),
            LearningRate = Given(LearningRate, recipe.LearningRate),
            BatchSize = Given(BatchSize, recipe.BatchSize),
            Optimizer = SettingNames.Optimizers[Given(Optimizer, SettingNames.Of(SettingNames.Optimizers, recipe.Optimizer))],
            Momentum = Given(Momentum, recipe.Momentum),
            Nesterov = Given(Nesterov, recipe.Nesterov),
            WeightDecay = Given(WeightDecay, recipe.WeightDecay),
            Schedule = SettingNames.Schedules[Given(Schedule, SettingNames.Of(SettingNames.Schedules, recipe.Schedule))],
            Augment = SettingNames.Augmentations[Given(Augment, SettingNames.Of(SettingNames.Augmentations, recipe.Augment))],
            LabelSmoothing = Given(LabelSmoothing, recipe.LabelSmoothing),
            Validation = Given(Validation, recipe.Validation),
            Keep = SettingNames.Keeps[Given(Keep, SettingNames.Of(SettingNames.Keeps, recipe.Keep))],
            AverageEpochs = Given(Average, recipe.AverageEpochs),
        };
        if (ProblemWith(options) is { } problem) throw new UsageException(problem);
        return options;
    }

    static Option<string> Choice(string name, string description, IEnumerable<string> choices, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }
}
