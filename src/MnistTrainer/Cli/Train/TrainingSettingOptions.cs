using System.CommandLine;
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
    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed for the initial weights, the shuffling, the validation split and the augmentation (default: random, printed)" };
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

    public TrainingSettingOptions()
    {
        Epochs.ParseInvariantly(); BatchSize.ParseInvariantly(); Validation.ParseInvariantly(); Average.ParseInvariantly(); Seed.ParseInvariantly();
        LearningRate.ParseInvariantly(); Momentum.ParseInvariantly(); WeightDecay.ParseInvariantly(); LabelSmoothing.ParseInvariantly();
        Epochs.Check(v => v < 1 ? "--epochs must be at least 1." : null);
        LearningRate.Check(v => !double.IsFinite(v) || v <= 0 || v > 10 ? $"--lr must be a number greater than 0 and at most 10 (got {v})." : null);
        BatchSize.Check(v => v < 1 ? "--batch-size must be at least 1." : null);
        Momentum.Check(v => !(v >= 0 && v < 1) ? $"--momentum must be at least 0 and less than 1 (got {v})." : null);
        WeightDecay.Check(v => !(v >= 0 && v <= 1) ? $"--weight-decay must be between 0 and 1 (got {v})." : null);
        LabelSmoothing.Check(v => !(v >= 0 && v < 1) ? $"--label-smoothing must be at least 0 and less than 1 (got {v})." : null);
        Validation.Check(v => v < 0 ? "--validation must be 0 or more." : null);
        Average.Check(v => v < 0 ? "--average must be 0 or more." : null);
    }

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The recipe's settings with the options given on the command line put over them; usage errors for combinations that make no sense.</summary>
    public TrainingOptions Read(ParseResult parse, DatasetInfo dataset)
    {
        T Given<T>(Option<T> option, T recipeValue) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : recipeValue;
        var recipe = Recipes.For(parse.GetValue(Recipe)!, parse.GetValue(Seed) ?? Random.Shared.NextInt64(0, 1L << 31), dataset);
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
        if (options.Nesterov && (options.Optimizer != OptimizerKind.Sgd || options.Momentum == 0))
            throw new UsageException("--nesterov needs --optimizer sgd and a --momentum above 0.");
        if (options.Keep == KeepWeights.Best && options.Validation == 0)
            throw new UsageException("--keep best needs a validation set to choose on: give --validation N (the test set is never used to choose).");
        if (options.AverageEpochs > options.Epochs)
            throw new UsageException($"--average {options.AverageEpochs} is more than the {options.Epochs} epochs of the run.");
        return options;
    }

    static Option<string> Choice(string name, string description, IEnumerable<string> choices, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }
}
