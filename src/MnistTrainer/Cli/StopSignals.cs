using System.Runtime.InteropServices;

namespace MnistTrainer.Cli;

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
