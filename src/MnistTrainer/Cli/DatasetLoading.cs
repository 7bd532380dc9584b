using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Resources;

namespace MnistTrainer.Cli;

/// <summary>Finds (or downloads) the chosen dataset and reads both splits, telling the user where they came from.</summary>
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

    /// <summary>Finds (or downloads) the dataset and reads its test split; the "from where" line goes to <paramref name="terminal"/>.</summary>
    public static LabeledImages LoadTest(DatasetInfo dataset, DataOptions options, ParseResult parse, Terminal terminal, CancellationToken cancel)
    {
        var (folder, images, labels) = options.GetLocator(parse).LocateTestSet(dataset, new DownloadReporter(terminal), cancel);
        var test = DatasetFiles.Load(images, labels, dataset.ClassCount);
        terminal.Out.WriteLine($"{dataset.DisplayName} test set from {folder}: {test.Count:N0} images");
        return test;
    }
}
