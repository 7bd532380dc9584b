using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MnistTrainer.Native;

namespace MnistTrainer.Cli;

/// <summary>The command line: builds the commands, runs the chosen one, and turns failures into one clear line and an exit code.</summary>
public static class App
{
    public static int Run(string[] args)
    {
        using var signals = new StopSignals();
        int code = Run(args, Terminal.FromConsole(), signals.Token);
        return code == ExitCodes.Interrupted ? signals.InterruptedExitCode : code;
    }

    public static int Run(string[] args, Terminal terminal, CancellationToken cancel)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Show full details of errors", Recursive = true };
        var root = new RootCommand("Train and use the classic MNIST network (the PyTorch lesson, in C# with TorchSharp)");
        root.Options.Add(verbose);
        root.Subcommands.Add(TrainCommand.Create(terminal, cancel));
        root.Subcommands.Add(PredictCommand.Create(terminal, cancel));
        root.Subcommands.Add(EvaluateCommand.Create(terminal, cancel));
        root.Subcommands.Add(SampleCommands.ExportSample(terminal, cancel));
        root.Subcommands.Add(InteropCommands.Export(terminal));
        root.Subcommands.Add(InteropCommands.Import(terminal));
        root.Subcommands.Add(LessonCommand.Create(terminal, cancel));
        root.Subcommands.Add(SampleCommands.MakeSamples(terminal));
        root.Subcommands.Add(ServeCommand.Create(terminal, cancel));

        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // The first error only, on one line: later ones are usually its echo (an unknown option, then
                // its value), and System.CommandLine lists allowed values on lines of their own.
                ErrorReport.Error(terminal.Error, $"{Regex.Replace(parse.Errors[0].Message, @"\s*\n\s*", " ")} (see --help)");
                return ExitCodes.UsageError;
            }
            if (parse.Action is not HelpAction && parse.GetResult(root.Options.OfType<VersionOption>().First()) == null)
                TorchRuntime.EnsureLoaded();
            return parse.Invoke(new InvocationConfiguration
            {
                Output = terminal.Out,
                Error = terminal.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            return ErrorReport.Print(e, args.Contains(verbose.Name), terminal.Error);
        }
    }
}

/// <summary>
/// The signals that ask a command to stop cleanly: Ctrl+C (SIGINT), SIGTERM (what <c>timeout</c>, systemd, Docker and
/// CI send) and SIGHUP (the terminal was closed). The first one cancels <see cref="Token"/>, which every command
/// watches (train then saves a checkpoint); a second one ends the process at once.
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource source = new();
    readonly PosixSignalRegistration[] registrations;
    PosixSignal? received;

    public StopSignals() => registrations =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, Handle))];

    public CancellationToken Token => source.Token;

    /// <summary>The exit code of a command stopped by the signal received: 128 + its number, as shells report it.</summary>
    public int InterruptedExitCode => received switch
    {
        PosixSignal.SIGTERM => ExitCodes.Terminated,
        PosixSignal.SIGHUP => ExitCodes.HungUp,
        _ => ExitCodes.Interrupted,
    };

    void Handle(PosixSignalContext context)
    {
        if (source.IsCancellationRequested) return; // the second: the system's default, which ends the process
        context.Cancel = true;
        received = context.Signal;
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
