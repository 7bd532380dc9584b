using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

public class EvaluatorTests
{
    [Fact]
    public void A_cancelled_evaluation_stops_instead_of_running_to_the_end()
    {
        using var images = new ImageTensors(RealDatasets.Mnist);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => Evaluator.Evaluate(TestModel.Model.Network, images, cancel.Token));
    }
}

public class ConfusionMatrixTests
{
    [Fact]
    public void Counts_true_classes_in_rows_and_predictions_in_columns()
    {
        byte[] labels = [0, 0, 1, 1, 1, 2];
        int[] predicted = [0, 1, 1, 1, 2, 2];
        var matrix = new ConfusionMatrix(3, labels, predicted);

        Assert.Equal([[1, 1, 0], [0, 2, 1], [0, 0, 1]], matrix.Counts);
        Assert.Equal(0.5, matrix.Accuracy(0));
        Assert.Equal(2.0 / 3, matrix.Accuracy(1));
        Assert.Equal(1.0, matrix.Accuracy(2));
    }

    [Fact]
    public void A_class_absent_from_the_set_has_no_accuracy() =>
        Assert.True(double.IsNaN(new ConfusionMatrix(3, [0], [0]).Accuracy(2)));
}
