using MnistTrainer.Inference;
using MnistTrainer.Lesson;
using MnistTrainer.Training;
using TorchSharp;

namespace MnistTrainer.Tests.Lesson;

public class NoTensorLeakTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void The_steps_leave_no_live_tensors_behind()
    {
        using var model = Trainer.NewNetwork(1);
        using var logits = LogitsNetwork.New(1);
        using var batch = data.Batch(seed: 1);
        LossStep.Run(logits, batch); // first use creates the parameters' gradients and caches

        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        LossStep.Run(logits, batch);
        LogSoftmaxStep.Run(model, batch);
        AutogradStep.Run(seed: 1);
        GradientsStep.Run(model, batch);
        SgdStep.Run(model, batch, learningRate: 0.01);
        new Predictor(model).Predict(RealDatasets.Mnist.Image(0));
        data.Batch(seed: 2).Dispose();

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
