using System.Globalization;
using MnistTrainer.Cli;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Cli;

public class TrainingReporterTests
{
    static readonly EpochCompleted Epoch = new(5, 5, 0.43271, TimeSpan.FromSeconds(8.391), 0.8412);

    [Fact]
    public void Epoch_line_in_English()
    {
        using (Language.Use("en"))
            Assert.Equal("Epoch 5/5  training loss: 0.4327  test accuracy: 84.12%  (8.39 s)", TrainingReporter.EpochLine(Epoch));
    }

    [Fact]
    public void Epoch_line_in_Portuguese_keeps_invariant_numbers()
    {
        using (Language.Use("pt"))
        {
            Assert.Equal("Época 5/5  perda de treinamento: 0.4327  acurácia no teste: 84.12%  (8.39 s)", TrainingReporter.EpochLine(Epoch));
            // Even with a comma-decimal culture current, the numbers stay invariant.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("pt-BR");
            Assert.Contains("0.4327", TrainingReporter.EpochLine(Epoch));
        }
    }

    [Fact]
    public void Epoch_line_without_a_test_set()
    {
        using (Language.Use("en"))
            Assert.Equal("Epoch 1/5  training loss: 1.0418  (8.39 s)", TrainingReporter.EpochLine(Epoch with { Epoch = 1, AverageLoss = 1.04181, TestAccuracy = null }));
    }
}
