using MnistTrainer.Files;

namespace MnistTrainer.Cli;

/// <summary>Where a command writes: normal output, errors, and whether the output is a live terminal (for progress bars).</summary>
public sealed record Terminal(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static Terminal FromConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    /// <summary>
    /// This terminal, or, when the command's output file <paramref name="outputPath"/> is a stream (<c>/dev/stdout</c>, a
    /// pipe), one that says everything on standard error: <c>export --output /dev/stdout | …</c> must get the file alone.
    /// </summary>
    public Terminal AsideFrom(string outputPath) =>
        OutputFile.IsStream(outputPath) ? this with { Out = Error } : this;
}
