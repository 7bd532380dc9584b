using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary>The --model option of the commands that use a trained model, and where the model is when it is not given.</summary>
public static class ModelOption
{
    public static Option<string?> Create(string what = "Model file")
    {
        var option = PathOptions.Path("--model", $"{what} (default: mnist.model in the current folder, else fashion-mnist.model: the names train writes by default)");
        option.Aliases.Add("-m");
        return option;
    }

    public static string Resolve(string? given) =>
        given ?? DatasetInfo.All.Select(DefaultFile).FirstOrDefault(File.Exists) ?? DefaultFile(DatasetInfo.Mnist);

    static string DefaultFile(DatasetInfo dataset) => $"{dataset.Name}.model";

    public static DatasetInfo DatasetOf(string path, TrainedModel model) =>
        DatasetInfo.Find(model.Metadata.Dataset)
        ?? throw new ModelFileException(path, $"model was trained on '{model.Metadata.Dataset}', a dataset this program does not know");
}
