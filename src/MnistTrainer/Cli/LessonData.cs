using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Lesson;
using MnistTrainer.Resources;

namespace MnistTrainer.Cli;

/// <summary>
/// Finds and reads the lesson's training images: the dataset named with --dataset, or else the lesson's
/// default (<see cref="LessonDatasetChoice"/>), saying so when MNIST is missing and another dataset stands in.
/// </summary>
public static class LessonData
{
    public static (DatasetInfo Dataset, DatasetPaths Paths, LabeledImages Train) LoadTrain(
        DataOptions options, ParseResult parse, Terminal terminal, CancellationToken cancel)
    {
        var dataset = options.GetDatasetIfGiven(parse) ?? ChooseDefault(options, parse, terminal);
        var paths = options.GetLocator(parse).Locate(dataset, new DownloadReporter(terminal), cancel);
        var train = DatasetFiles.Load(paths.TrainImages, paths.TrainLabels, dataset.ClassCount);
        terminal.Out.WriteLine(Language.Format(Strings.LessonData, dataset.DisplayName, paths.Folder, train.Count));
        return (dataset, paths, train);
    }

    static DatasetInfo ChooseDefault(DataOptions options, ParseResult parse, Terminal terminal)
    {
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
