using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary>
/// The options that more than one command takes, each defined here once, and the rules every option follows: a value
/// out of range is one clear line naming the option, numbers read the same in every locale, and a path is never empty
/// (<c>--output</c>/<c>-o</c> means the same in every command, <c>-</c> standard output). Where the files are then
/// checked together is the command's <see cref="FilePlan"/>.
/// </summary>
public static class SharedOptions
{
    /// <summary>
    /// One thread by default. With more, libtorch runs each matrix product (about nine a batch, ten
    /// thousand an epoch) as an OpenMP fork-join whose threads spin-wait for each other; when the
    /// threads fill the cores, any other runnable thread (.NET's JIT, GC or finalizer threads early
    /// in a run, or another program) preempts one of them and every product waits for it. Epochs then
    /// take seconds instead of half a second. One thread has no team to wait for; docs/benchmarks.md
    /// measures both.
    /// </summary>
    public const int DefaultThreads = 1;

    public static Command NewCommand(string name, string description, IEnumerable<Option> options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        return command;
    }

    public static Option<int> Threads()
    {
        var threads = new Option<int>("--threads") { Description = "CPU threads for torch (more than 1 rarely helps this small network and can stall when other work runs; see docs/benchmarks.md)", DefaultValueFactory = _ => DefaultThreads };
        threads.ParseInvariantly();
        threads.Check(v => v is < 1 or > 1024 ? $"--threads must be between 1 and 1024 (got {v})." : null);
        return threads;
    }

    public static Option<string?> Lang()
    {
        var option = new Option<string?>("--lang")
        {
            Description = "Language of the output: en or pt (default: the system's UI language). Numbers are always written as 0.4327",
        };
        option.AcceptOnlyFromAmong("en", "pt");
        return option;
    }

    /// <param name="what">What the seed fixes, for --help.</param>
    public static Option<long?> Seed(string what)
    {
        var seed = new Option<long?>("--seed") { Description = $"Seed for {what} (default: random, printed)" };
        seed.ParseInvariantly();
        return seed;
    }

    public static long SeedOrRandom(this ParseResult parse, Option<long?> seed) => parse.GetValue(seed) ?? Random.Shared.NextInt64(0, 1L << 31);

    public static Option<bool> Json() => new("--json") { Description = "Print the results as JSON" };

    /// <summary>An option of one or more values, given after one flag or several.</summary>
    public static Option<T[]> Many<T>(string name, string helpName, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    public static string? NegativeIndex(IEnumerable<int> indices) =>
        indices.FirstOrDefault(i => i < 0) is < 0 and var bad ? $"--index must be 0 or more (got {bad})." : null;

    public static UsageException IndexOutOfRange(int index, DatasetInfo dataset, LabeledImages test) =>
        new($"--index {index} is out of range: the {dataset.DisplayName} test set has {test.Count:N0} images (0 to {test.Count - 1:N0}).");

    public static Option<string> Output(string description, string helpName = "FILE", bool required = true) =>
        NotEmpty(new Option<string>("--output", "-o")
        {
            HelpName = helpName,
            Description = $"{description} ('{OutputFile.StandardOutputName}': standard output)",
            Required = required,
        });

    /// <summary>An optional file or folder to read or write, named by <paramref name="name"/>.</summary>
    public static Option<string?> PathOption(string name, string description, string helpName = "FILE") =>
        NotEmpty(new Option<string?>(name) { HelpName = helpName, Description = description });

    static Option<T> NotEmpty<T>(Option<T> option)
    {
        option.Check(value => value is "" ? $"{option.Name} is empty: give a path." : null);
        return option;
    }

    public static Option<string?> ModelOption(string what = "Model file")
    {
        var option = PathOption("--model", $"{what} (default: mnist.model in the current folder, else fashion-mnist.model: the names train writes by default)");
        option.Aliases.Add("-m");
        return option;
    }

    /// <summary>The model given with --model, else the first of train's default names that is here.</summary>
    public static string ModelPath(string? given) =>
        given ?? DatasetInfo.All.Select(DefaultModelFile).FirstOrDefault(File.Exists) ?? DefaultModelFile(DatasetInfo.Mnist);

    public static string DefaultModelFile(DatasetInfo dataset) => $"{dataset.Name}.model";

    public static DatasetInfo DatasetOf(string path, TrainedModel model) =>
        DatasetInfo.Find(model.Metadata.Dataset)
        ?? throw new ModelFileException(path, $"model was trained on '{model.Metadata.Dataset}', a dataset this program does not know");

    /// <summary>Adds a range check: <paramref name="problem"/> returns what is wrong, as one line naming the option, or null.</summary>
    public static void Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.Validators.Add(r =>
        {
            T value;
            // A value that is not a T at all: the parser reports that itself, naming the option.
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (problem(value) is { } message) r.AddError(message);
        });
    }

    // Numbers read the same way in every locale. System.CommandLine parses with the current culture, so under
    // pt-BR or de-DE (where "." groups thousands) "--lr 0.05" was read as 5. Thousands separators are refused too,
    // so "0,05" is an error rather than 5. A missing or repeated value the parser reports itself.

    public static void ParseInvariantly<T>(this Option<T> option) where T : INumberBase<T> =>
        option.CustomParser = r => r.Tokens.Count == 1 && TryParse(r, r.Tokens[0].Value, option.Name, out T value) ? value : default!;

    public static void ParseInvariantly<T>(this Option<T?> option) where T : struct, INumberBase<T> =>
        option.CustomParser = r => r.Tokens.Count == 1 && TryParse(r, r.Tokens[0].Value, option.Name, out T value) ? value : null;

    /// <summary>An option taking several numbers: each is read as above, the first bad one named.</summary>
    public static void ParseInvariantly<T>(this Option<T[]> option) where T : INumberBase<T> =>
        option.CustomParser = r =>
        {
            var values = new T[r.Tokens.Count];
            for (int i = 0; i < values.Length; i++)
                if (!TryParse(r, r.Tokens[i].Value, option.Name, out values[i])) return [];
            return values;
        };

    static bool TryParse<T>(ArgumentResult result, string text, string name, out T value) where T : INumberBase<T>
    {
        value = default!;
        bool whole = typeof(T) == typeof(int) || typeof(T) == typeof(long);
        if (T.TryParse(text, whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed != null)
        {
            value = parsed;
            return true;
        }
        // An option of several values also swallows a word the command does not know (predict --index 0 --dataset x):
        // name that word, not the option it landed in.
        if (text.StartsWith("--")) result.AddError($"Unrecognized command or argument '{text}'.");
        else result.AddError(whole ? $"{name} must be a whole number (got '{text}')." : $"{name} must be a number such as 0.01 (got '{text}').");
        return false;
    }
}
