using MnistTrainer.Inference;
using MnistTrainer.Lesson;
using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp;

namespace MnistTrainer.Tests.Lesson;

public class LessonStepsTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void An_untrained_network_loses_about_ln_10()
    {
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            using var batch = data.Batch(seed);
            using var model = MnistNetwork.CreateLogits(seed);
            var result = LessonSteps.Loss(model, batch);
            Assert.Equal(10, result.ClassCount);
            Assert.Equal(Math.Log(10), result.UniformGuessLoss, 12);
            Assert.InRange(result.Loss, Math.Log(10) - 0.1, Math.Log(10) + 0.1);
        }
    }

    [Fact]
    public void LogSoftmax_with_NLLLoss_equals_CrossEntropyLoss_on_the_logits()
    {
        using var batch = data.Batch(seed: 4);
        using var model = Trainer.NewNetwork(4);
        var result = LessonSteps.LogSoftmax(model, batch);
        Assert.InRange(Math.Abs(result.NllLoss - result.CrossEntropyLoss), 0, 1e-6);
        Assert.True(result.Equal);
        Assert.InRange(result.NllLoss, 2.0, 2.6);
    }

    [Fact]
    public void The_logits_network_gets_a_copy_of_the_weights()
    {
        using var model = Trainer.NewNetwork(5);
        using var logits = LessonSteps.LogitsWithWeightsOf(model);
        foreach (var name in new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" })
            Assert.Equal(TensorValues.From(model.get_parameter(name)!).Values, TensorValues.From(logits.get_parameter(name)!).Values);
        Assert.NotEqual(model.get_parameter("0.weight")!.Handle, logits.get_parameter("0.weight")!.Handle);
    }

    [Fact]
    public void Autograd_x_grad_is_empty_before_backward_and_x_over_2_after()
    {
        var result = LessonSteps.Autograd(seed: 7);
        Assert.False(result.XHadGradientBefore);
        Assert.Equal([2, 2], result.XGradient.Shape);
        for (int i = 0; i < 4; i++)
            Assert.Equal(result.X.Values[i] / 2, result.XGradient.Values[i], 1e-7);
        Assert.True(result.GradientEqualsXHalf);
    }

    [Fact]
    public void Autograd_y_and_z_are_x_squared_and_its_mean()
    {
        var result = LessonSteps.Autograd(seed: 7);
        for (int i = 0; i < 4; i++)
            Assert.Equal(result.X.Values[i] * result.X.Values[i], result.Y.Values[i], 1e-6);
        Assert.Equal(result.Y.Values.Average(), result.Z, 1e-6);
    }

    [Fact]
    public void Autograd_y_was_made_by_a_recorded_operation()
    {
        var result = LessonSteps.Autograd(seed: 7);
        Assert.True(result.YRequiresGrad);
        Assert.False(result.YIsLeaf);
    }

    [Fact]
    public void Autograd_requires_grad_is_false_under_no_grad() => Assert.False(LessonSteps.Autograd(seed: 7).RequiresGradUnderNoGrad);

    [Fact]
    public void Autograd_the_seed_fixes_x()
    {
        Assert.Equal(LessonSteps.Autograd(seed: 7).X.Values, LessonSteps.Autograd(seed: 7).X.Values);
        Assert.NotEqual(LessonSteps.Autograd(seed: 7).X.Values, LessonSteps.Autograd(seed: 8).X.Values);
    }

    [Fact]
    public void The_first_layer_has_no_gradient_before_backward_and_one_after()
    {
        using var batch = data.Batch(seed: 1);
        using var model = Trainer.NewNetwork(1);
        var result = LessonSteps.Gradients(model, batch);
        Assert.False(result.HadGradientBefore);
        Assert.Equal([128, 784], result.GradientAfter.Shape);
        Assert.Contains(result.GradientAfter.Values, g => g != 0);
        Assert.All(result.GradientAfter.Values, g => Assert.True(float.IsFinite(g)));
        Assert.NotNull(LessonSteps.FirstLayerWeight(model).grad);
    }

    [Fact]
    public void SGD_new_weights_are_old_minus_lr_times_gradient()
    {
        using var batch = data.Batch(seed: 2);
        using var model = Trainer.NewNetwork(2);
        var result = LessonSteps.SgdStep(model, batch, learningRate: 0.01);

        Assert.Equal(0.01, result.LearningRate);
        for (int i = 0; i < result.Before.Values.Length; i++)
            Assert.Equal(result.Before.Values[i] - 0.01 * result.Gradient.Values[i], result.After.Values[i], 1e-7);
        Assert.True(result.MatchesGradientDescent);
        Assert.InRange(result.MaxDifference, 0, 1e-7);
    }

    [Fact]
    public void The_SGD_step_moves_the_weights_and_leaves_them_in_the_model()
    {
        using var batch = data.Batch(seed: 3);
        using var model = Trainer.NewNetwork(3);
        var result = LessonSteps.SgdStep(model, batch, learningRate: 0.01);

        int moved = result.LargestGradients(1)[0];
        Assert.NotEqual(result.Before.Values[moved], result.After.Values[moved]);
        Assert.Equal(result.After.Values, TensorValues.From(LessonSteps.FirstLayerWeight(model)).Values);
    }

    [Fact]
    public void Largest_gradients_are_ordered_by_size()
    {
        var shape = new long[] { 1, 4 };
        var result = new SgdStepResult(new(shape, [0, 0, 0, 0]), new(shape, [0.1f, -0.5f, 0.3f, 0f]), new(shape, [0, 0, 0, 0]), 0.01);
        Assert.Equal([1, 2, 0], result.LargestGradients(3));
    }

    [Fact]
    public void Training_lowers_the_loss_and_gives_probabilities_for_the_image()
    {
        var train = RealDatasets.MnistTrainPart.Slice(0, 2000);
        var test = RealDatasets.MnistTestPart;
        var options = new TrainingOptions(Epochs: 2, LearningRate: 0.01, BatchSize: 64, Seed: 1);

        var result = LessonSteps.Train(train, test, imageIndex: 3, options);

        Assert.Equal(2, result.EpochLosses.Count);
        Assert.True(result.EpochLosses[1] < result.EpochLosses[0], $"loss went from {result.EpochLosses[0]} to {result.EpochLosses[1]}");
        Assert.InRange(result.EpochLosses[0], 1.0, Math.Log(10) + 0.1);
        Assert.Equal(3, result.ImageIndex);
        Assert.Equal(test.Labels[3], result.Label);
        var probabilities = result.Prediction.Probabilities;
        Assert.Equal(10, probabilities.Count);
        Assert.Equal(1.0, probabilities.Sum(), 1e-5);
        Assert.Equal(probabilities.Max(), result.Prediction.Confidence);
    }

    [Fact]
    public void The_steps_leave_no_live_tensors_behind()
    {
        using var model = Trainer.NewNetwork(1);
        using var logits = MnistNetwork.CreateLogits(1);
        using var batch = data.Batch(seed: 1);
        LessonSteps.Loss(logits, batch); // first use creates the parameters' gradients and caches

        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        LessonSteps.Loss(logits, batch);
        LessonSteps.LogSoftmax(model, batch);
        LessonSteps.Autograd(seed: 1);
        LessonSteps.Gradients(model, batch);
        LessonSteps.SgdStep(model, batch, learningRate: 0.01);
        new Predictor(model).Predict(RealDatasets.Mnist.Image(0));
        data.Batch(seed: 2).Dispose();

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
