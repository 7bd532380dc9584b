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
