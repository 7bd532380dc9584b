using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Native;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>An option value that parses but makes no sense (checked after the data is known, e.g. a batch larger than the dataset).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The one place where error and warning lines are written: an exception becomes one clear message and an exit code,
/// and every other "error: " or "warning: " line goes through <see cref="Error"/> or <see cref="Warning"/>.
/// </summary>
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
        DatasetNotFoundException missing => NotFound(missing),
        MissingFileException { Noun: ModelFile.Noun } => $"{e.Message} (train one with: train --output PATH)",
        _ => e.Message,
    };

    public static int Print(Exception e, bool verbose, TextWriter error)
    {
        int code = ExitCodeFor(e);
        if (code == ExitCodes.Interrupted) error.WriteLine("Interrupted.");
        else if (code == ExitCodes.InternalError) InternalError(error, e);
        else Error(error, MessageFor(e));
        if (verbose) error.WriteLine(e);
        else if (code == ExitCodes.InternalError) error.WriteLine("(run again with --verbose for details)");
        return code;
    }

    public static void Error(TextWriter to, string message) => to.WriteLine($"error: {message}");

    public static void InternalError(TextWriter to, Exception e) => Error(to, $"internal error: {e.Message}");

    public static void Warning(TextWriter to, string message) => to.WriteLine($"warning: {message}");

    /// <summary>What the user reads when a dataset is nowhere: where it was looked for, why downloading did not help, and what to do.</summary>
    static string NotFound(DatasetNotFoundException e)
    {
        var lines = new List<string> { $"{e.Dataset.DisplayName} was not found. Looked in:" };
        lines.AddRange(e.FoldersLookedIn.Select(p => "  " + p));
        lines.Add(e.DownloadFailure == null
            ? "Downloading is turned off (--no-download)."
            : $"Downloading failed: {e.DownloadFailure}");
        lines.Add($"Put these files in {e.DownloadFolder} (or pass --data-dir FOLDER): {string.Join(", ", DatasetInfo.Files)}.");
        var fashion = DatasetInfo.FashionMnist;
        if (e.Dataset != fashion)
            lines.Add(e.AlternativeOnThisMachine == fashion
                ? $"Fashion-MNIST is available on this machine: train on it with --dataset {fashion.Name}."
                : $"To train offline, install Fashion-MNIST (sudo apt-get install dataset-fashion-mnist) and use --dataset {fashion.Name}.");
        return string.Join(Environment.NewLine, lines);
    }
}
