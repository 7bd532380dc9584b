using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Lesson;
using MnistTrainer.Resources;

namespace MnistTrainer.Cli;

/// <summary>
/// The one way commands get their data: find (or download) the dataset, read the splits they need, and
/// tell the user where they came from.
/// </summary>
public static class DatasetLoading
{
    public static (LabeledImages Train, LabeledImages Test) LoadBoth(
        DatasetInfo dataset, DataOptions options, ParseResult parse, Terminal terminal, CancellationToken cancel)
    {
        var paths = options.GetLocator(parse).Locate(dataset, new DownloadReporter(terminal), cancel);
        var train = DatasetFiles.Load(paths.TrainImages, paths.TrainLabels, dataset.ClassCount);
        var test = DatasetFiles.Load(paths.TestImages, paths.TestLabels, dataset.ClassCount);
        terminal.Out.WriteLine(Language.Format(Strings.TrainDatasetLoaded, dataset.DisplayName, paths.Folder, train.Count, test.Count));
        return (train, test);
    }

    /// <summary>
    /// Finds (or downloads, unless <paramref name="localOnly"/>) the dataset and reads its test split; the "from where"
    /// line goes to <paramref name="terminal"/>.
    /// </summary>
    public static LabeledImages LoadTest(DatasetInfo dataset, DataOptions options, ParseResult parse, Terminal terminal,
        CancellationToken cancel, bool localOnly = false)
    {
        var locator = localOnly ? options.GetLocalLocator(parse) : options.GetLocator(parse);
        var (folder, images, labels) = locator.LocateTestSet(dataset, new DownloadReporter(terminal), cancel);
        var test = DatasetFiles.Load(images, labels, dataset.ClassCount);
        terminal.Out.WriteLine($"{dataset.DisplayName} test set from {folder}: {test.Count:N0} images");
        return test;
    }

    /// <summary>
    /// The lesson's dataset: the one named with --dataset, or else the lesson's default
    /// (<see cref="LessonDatasetChoice"/>), saying so when MNIST is missing and another dataset stands in.
    /// </summary>
    public static DatasetInfo LessonDataset(DataOptions options, ParseResult parse, Terminal terminal)
    {
        if (options.GetDatasetIfGiven(parse) is { } given) return given;
        var local = options.GetLocalLocator(parse);
        var choice = LessonDatasetChoice.Choose(dataset => IsOnThisMachine(local, dataset));
        if (choice.MnistMissing)
            terminal.Out.WriteLine(choice.Dataset == DatasetInfo.Mnist ? Strings.LessonNoDataset : Strings.LessonMnistMissing);
        return choice.Dataset;
    }

    static bool IsOnThisMachine(DatasetLocator local, DatasetInfo dataset)
    {
        try
        {
            local.Locate(dataset);
            return true;
        }
        catch (DatasetNotFoundException)
        {
            return false;
        }
    }
}
