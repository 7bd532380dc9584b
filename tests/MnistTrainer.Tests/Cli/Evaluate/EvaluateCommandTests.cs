using System.Text.Json;
using System.Text.RegularExpressions;
using MnistTrainer.Cli;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Cli;

public class EvaluateCommandTests
{
    [Fact]
    public void A_diverged_model_gives_its_numbers_as_null_in_json_instead_of_failing()
    {
        using var folder = new TempFolder();
        var path = folder["diverged.model"];
        using (var network = Trainer.NewNetwork(1))
        {
            using (TorchSharp.torch.no_grad())
                foreach (var parameter in network.parameters()) parameter.fill_(double.NaN);
            MnistTrainer.Model.ModelFile.Save(path, network, MnistTrainer.Model.ModelMetadata.For("mnist", MnistTrainer.Data.DatasetInfo.Mnist.ClassNames, null));
        }

        var run = CliRun.Of("evaluate", "--model", path, "--data-dir", TestData.MnistSubsetFolder, "--no-download", "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("averageLoss").ValueKind);
    }

    [Fact]
    public void Json_has_loss_accuracy_per_class_and_a_confusion_matrix_that_agree_with_the_evaluator()
    {
        var run = CliRun.Of("evaluate", "--model", TestModel.FilePath, "--data-dir", TestData.MnistSubsetFolder, "--no-download", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;

        var test = RealDatasets.Mnist;
        using var tensors = new ImageTensors(test);
        var expected = Evaluator.Evaluate(TestModel.Model.Network, tensors);
        Assert.Equal(test.Count, root.GetProperty("images").GetInt32());
        Assert.Equal(expected.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(expected.AverageLoss, root.GetProperty("averageLoss").GetDouble(), 1e-9);

        var matrix = root.GetProperty("confusionMatrix").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(n => n.GetInt32()).ToArray()).ToArray();
        Assert.Equal(test.Count, matrix.Sum(row => row.Sum()));
        var perClass = root.GetProperty("perClass").EnumerateArray().ToList();
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(test.Labels.Count(l => l == c), matrix[c].Sum());
            Assert.Equal(matrix[c][c], perClass[c].GetProperty("correct").GetInt32());
        }
        Assert.Equal(expected.Accuracy * test.Count, Enumerable.Range(0, 10).Sum(c => matrix[c][c]), 1e-6);
    }

    [Fact]
    public void Text_shows_the_summary_the_classes_and_the_matrix()
    {
        var run = CliRun.Of("evaluate", "--model", TestModel.FilePath, "--data-dir", TestData.MnistSubsetFolder, "--no-download");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Average test loss: ", run.Out);
        Assert.Contains("Accuracy: ", run.Out);
        Assert.Contains("Confusion matrix (rows: true class, columns: predicted class)", run.Out);
        var classRows = run.Out.Split('\n').Where(l => Regex.IsMatch(l, @"^ ?\d  \S+ +\d+\.\d\d%  +\d+/\d+")).ToList();
        Assert.Equal(10, classRows.Count);
    }

    [Fact]
    public void Missing_test_set_is_a_data_error()
    {
        using var empty = new TempFolder();
        var run = CliRun.Of("evaluate", "--model", UntrainedModel.FilePath, "--data-dir", empty.Path, "--no-download");
        Assert.Equal(ExitCodes.DataError, run.ExitCode);
        Assert.Contains("MNIST was not found", run.Error);
    }
}
