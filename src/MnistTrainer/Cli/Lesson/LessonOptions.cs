using System.CommandLine;

namespace MnistTrainer.Cli;

/// <summary>The options of every lesson step: the seed and the language, and for the steps that read images, the dataset.</summary>
public sealed class LessonOptions
{
    public DataOptions Data { get; } = DataOptions.WithoutDefaultDataset("mnist when found locally, else fashion-mnist when found locally; nothing is downloaded to choose");

    public Option<long?> Seed { get; } = new("--seed")
    {
        Description = "Seed for everything random: initial weights, batches, x, the image shown (default: random, printed)",
    };

    public Option<string?> Lang { get; } = Language.CreateOption();

    public LessonOptions() => Seed.ParseInvariantly();

    public void AddTo(Command command, bool readsImages)
    {
        if (readsImages) Data.AddTo(command);
        command.Options.Add(Seed);
        command.Options.Add(Lang);
    }

    public long GetSeed(ParseResult parse) => parse.GetValue(Seed) ?? Random.Shared.NextInt64(0, 1L << 31);
}
