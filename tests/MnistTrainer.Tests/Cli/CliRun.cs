using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

/// <summary>Runs the real command line in-process, capturing what it writes.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, new Terminal(output, error, IsInteractive: false), CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
