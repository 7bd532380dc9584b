using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Native;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>Turns an exception into the one clear message and exit code the user sees.</summary>
public static class ErrorReport
{
    public static int ExitCodeFor(Exception e) => e switch
    {
        UsageException or PlanException or EmptyDatasetException or CheckpointException => ExitCodes.UsageError,
        FileProblemException or DatasetNotFoundException or DownloadException => ExitCodes.DataError,
        NativeLibraryException => ExitCodes.NativeLibraryError,
        OperationCanceledException => ExitCodes.Interrupted,
        _ => ExitCodes.InternalError,
    };

    /// <summary>The core's account of what happened, with the command line's advice on what to do.</summary>
    public static string MessageFor(Exception e) => e switch
    {
        DatasetNotFoundException missing => DatasetNotFoundText.Of(missing),
        MissingFileException { Noun: ModelFile.Noun } => $"{e.Message} (train one with: train --output PATH)",
        _ => e.Message,
    };

    public static int Print(Exception e, bool verbose, TextWriter error)
    {
        int code = ExitCodeFor(e);
        string message = code == ExitCodes.InternalError ? $"internal error: {e.Message}" : MessageFor(e);
        error.WriteLine(code == ExitCodes.Interrupted ? "Interrupted." : $"error: {message}");
        if (verbose) error.WriteLine(e);
        else if (code == ExitCodes.InternalError) error.WriteLine("(run again with --verbose for details)");
        return code;
    }
}
