using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Inference;

public class PredictorTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    [Fact]
    public void Probabilities_are_a_distribution_and_the_prediction_is_the_most_probable()
    {
        using var network = Trainer.NewNetwork(seed: 3);
        var predictor = new Predictor(network);
        var random = new Random(3);
        var inputs = new[] { new byte[784], Enumerable.Repeat((byte)255, 784).ToArray(), Enumerable.Range(0, 784).Select(_ => (byte)random.Next(256)).ToArray() };
        foreach (var pixels in inputs)
        {
            var prediction = predictor.Predict(pixels);
            Assert.Equal(10, prediction.Probabilities.Count);
            Assert.InRange(prediction.Probabilities.Sum(), 1 - 1e-5, 1 + 1e-5);
            Assert.All(prediction.Probabilities, p => Assert.InRange(p, 0, 1));
            Assert.Equal(prediction.Probabilities.Max(), prediction.Confidence);
        }
    }

    [Fact]
    public void Predicting_leaves_no_tensors_behind()
    {
        using var network = Trainer.NewNetwork(seed: 3);
        var predictor = new Predictor(network);
        predictor.Predict(new byte[784]);
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) predictor.Predict(new byte[784]);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_test_image_exported_to_png_and_read_back_predicts_exactly_as_the_tensor_it_came_from()
    {
        var test = RealDatasets.Mnist;
        var predictor = new Predictor(TestModel.Model.Network);
        var indices = Enumerable.Range(0, 20).Select(i => TestModel.TrainedOn + 50 * i).ToArray();
        using var tensors = new ImageTensors(new LabeledImages(
            indices.SelectMany(i => test.Image(i).ToArray()).ToArray(), indices.Select(i => test.Labels[i]).ToArray()));
        var evaluated = Evaluator.Evaluate(TestModel.Model.Network, tensors).Predicted;

        for (int k = 0; k < indices.Length; k++)
        {
            var original = NetworkInput.FromTestSet(DatasetInfo.Mnist, test, indices[k]);
            var path = folder[$"{indices[k]}.png"];
            ImageWriter.SaveGrayPng(path, original.Image);
            var readBack = NetworkInput.FromFile(path, raw: false);

            Assert.False(readBack.Preprocessed);
            Assert.Equal(original.Pixels, readBack.Pixels);
            var fromFile = predictor.Predict(readBack.Pixels);
            Assert.Equal(predictor.Predict(original.Pixels).Probabilities, fromFile.Probabilities);
            Assert.Equal(evaluated[k], fromFile.PredictedClass);
        }
    }

    [Fact]
    public void A_model_trained_here_scores_at_least_90_percent_through_the_predict_path_on_pngs_it_never_saw()
    {
        var test = RealDatasets.Mnist;
        var predictor = new Predictor(TestModel.Model.Network);
        // 200 images spread over the last 1,000, which the test model was not trained on.
        var indices = Enumerable.Range(0, 200).Select(i => TestModel.TrainedOn + 5 * i).ToArray();
        int correct = 0;
        foreach (int i in indices)
        {
            var path = folder[$"{i}.png"];
            ImageWriter.SaveGrayPng(path, NetworkInput.FromTestSet(DatasetInfo.Mnist, test, i).Image);
            if (predictor.Predict(NetworkInput.FromFile(path, raw: false).Pixels).PredictedClass == test.Labels[i]) correct++;
        }
        Assert.True(correct >= 180, $"{correct} of 200 right, fewer than 90%");
    }
}
