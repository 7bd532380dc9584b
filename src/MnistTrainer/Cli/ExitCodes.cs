namespace MnistTrainer.Cli;

/// <summary>The process exit codes, as documented in the README.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A bug or an unexpected failure.</summary>
    public const int InternalError = 1;
    /// <summary>The command line is wrong: unknown option, value out of range.</summary>
    public const int UsageError = 2;
    /// <summary>An input or output file is missing, damaged or of the wrong kind; a dataset cannot be found.</summary>
    public const int DataError = 3;
    /// <summary>The native torch library cannot be loaded on this system.</summary>
    public const int NativeLibraryError = 4;
    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
