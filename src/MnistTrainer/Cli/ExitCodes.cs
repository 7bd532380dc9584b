namespace MnistTrainer.Cli;

/// <summary>The process exit codes: docs/errors.md lists each with what leads to it (a test keeps the two the same).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A bug or an unexpected failure.</summary>
    public const int InternalError = 1;
    /// <summary>The command line asks for what cannot be done: an unknown option, a value out of range, outputs that collide, a checkpoint that is not a possible run, a dataset without images.</summary>
    public const int UsageError = 2;
    /// <summary>An input or output file is missing, damaged or of the wrong kind; a dataset cannot be found.</summary>
    public const int DataError = 3;
    /// <summary>The native torch library cannot be loaded on this system.</summary>
    public const int NativeLibraryError = 4;
    /// <summary>The model was trained and saved, but an output asked for beside it (--plot, --metrics, --logdir) could not be written in full.</summary>
    public const int OutputIncomplete = 5;
    /// <summary>Stopped by SIGHUP: the terminal was closed (128 + 1, as shells report it).</summary>
    public const int HungUp = 129;
    /// <summary>Stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM, what timeout, systemd, Docker and CI send (128 + 15).</summary>
    public const int Terminated = 143;
}
