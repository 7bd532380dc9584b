using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

public class LogSoftmaxStepTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void LogSoftmax_with_NLLLoss_equals_CrossEntropyLoss_on_the_logits()
    {
        using var batch = data.Batch(seed: 4);
        using var model = Trainer.NewNetwork(4);
        var result = LogSoftmaxStep.Run(model, batch);
        Assert.InRange(Math.Abs(result.NllLoss - result.CrossEntropyLoss), 0, 1e-6);
        Assert.True(result.Equal);
        Assert.InRange(result.NllLoss, 2.0, 2.6);
    }

    [Fact]
    public void The_logits_network_gets_a_copy_of_the_weights()
    {
        using var model = Trainer.NewNetwork(5);
        using var logits = LogitsNetwork.WithWeightsOf(model);
        foreach (var name in new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" })
            Assert.Equal(TensorValues.From(model.get_parameter(name)!).Values, TensorValues.From(logits.get_parameter(name)!).Values);
        Assert.NotEqual(model.get_parameter("0.weight")!.Handle, logits.get_parameter("0.weight")!.Handle);
    }
}
