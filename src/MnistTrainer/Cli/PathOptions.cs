using System.CommandLine;
using MnistTrainer.Files;

namespace MnistTrainer.Cli;

/// <summary>
/// The options that name files, made one way: an empty path is refused when the command line is read, and
/// <c>--output</c>/<c>-o</c> means the same in every command (<c>-</c>: standard output). Where the files are
/// then checked together is the command's <see cref="FilePlan"/>.
/// </summary>
public static class PathOptions
{
    /// <summary>The file a command writes.</summary>
    public static Option<string> Output(string description, string helpName = "FILE", bool required = true) =>
        NotEmpty(new Option<string>("--output", "-o")
        {
            HelpName = helpName,
            Description = $"{description} ('{OutputFile.StandardOutputName}': standard output)",
            Required = required,
        });

    /// <summary>An optional file or folder to read or write, named by <paramref name="name"/>.</summary>
    public static Option<string?> Path(string name, string description, string helpName = "FILE") =>
        NotEmpty(new Option<string?>(name) { HelpName = helpName, Description = description });

    static Option<T> NotEmpty<T>(Option<T> option)
    {
        option.Check(value => value is "" ? $"{option.Name} is empty: give a path." : null);
        return option;
    }
}
