using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Samples;

namespace MnistTrainer.Tests.Samples;

public class SampleSetTests
{
    static string SamplesFolder => Path.Combine(DataFolders.DefaultDataDir(), "samples");

    [Fact]
    public void Every_shipped_sample_is_one_the_program_makes_and_reads_as_a_phone_sized_picture()
    {
        Assert.Equal(SampleSet.All.Select(s => s.FileName).Order(), Directory.GetFiles(SamplesFolder).Select(Path.GetFileName).Order());
        foreach (var sample in SampleSet.All)
        {
            var input = NetworkInput.FromFile(Path.Combine(SamplesFolder, sample.FileName), raw: false);
            Assert.True(input.Preprocessed);
            Assert.Equal(255, input.Pixels.Max());
        }
    }

    [Fact]
    public void The_samples_can_be_made_again()
    {
        using var folder = new TempFolder();
        SampleSet.WriteAll(folder.Path);
        foreach (var sample in SampleSet.All)
        {
            var made = ImageFile.Read(folder[sample.FileName]);
            var shipped = ImageFile.Read(Path.Combine(SamplesFolder, sample.FileName));
            Assert.Equal((shipped.Width, shipped.Height), (made.Width, made.Height));
            // Not byte for byte: font rasterizing and encoders may differ a little between machines.
            double difference = made.Pixels.Zip(shipped.Pixels, (a, b) => Math.Abs(a - b)).Average();
            Assert.True(difference < 2, $"{sample.FileName} differs from the shipped one by {difference:F2} per pixel on average");
        }
    }

    [Fact]
    public void The_test_model_reads_the_sample_digits()
    {
        var predictor = new Predictor(TestModel.Model.Network);
        var right = SampleSet.All.Count(s =>
            predictor.Predict(NetworkInput.FromFile(Path.Combine(SamplesFolder, s.FileName), raw: false).Pixels).PredictedClass == s.Digit - '0');
        // Printed digits are not handwriting: a model trained on 8,000 MNIST digits gets most, not always all.
        Assert.True(right >= SampleSet.All.Count - 1, $"{right} of {SampleSet.All.Count} samples read right");
    }
}
