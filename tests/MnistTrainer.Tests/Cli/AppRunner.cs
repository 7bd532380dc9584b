using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it writes.</summary>
public static class AppRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, new Terminal(output, error, IsInteractive: false), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
