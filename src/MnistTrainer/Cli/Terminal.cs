namespace MnistTrainer.Cli;

/// <summary>Where a command writes: normal output, errors, and whether the output is a live terminal (for progress bars).</summary>
public sealed record Terminal(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static Terminal FromConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
