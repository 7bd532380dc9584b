using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Interop;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary>Turns an exception into the one clear message and exit code the user sees.</summary>
public static class ErrorReport
{
    public static int ExitCodeFor(Exception e) => e switch
    {
        UsageException => ExitCodes.UsageError,
        IdxFormatException or DatasetNotFoundException or ModelFileException or DownloadException or InteropException
            or ImageFileException => ExitCodes.DataError,
        NativeLibraryException => ExitCodes.NativeLibraryError,
        OperationCanceledException => ExitCodes.Interrupted,
        _ => ExitCodes.InternalError,
    };

    public static int Print(Exception e, bool verbose, TextWriter error)
    {
        int code = ExitCodeFor(e);
        string message = code == ExitCodes.InternalError ? $"internal error: {e.Message}" : e.Message;
        error.WriteLine(code == ExitCodes.Interrupted ? "Interrupted." : $"error: {message}");
        if (verbose) error.WriteLine(e);
        else if (code == ExitCodes.InternalError) error.WriteLine("(run again with --verbose for details)");
        return code;
    }
}
