using System.CommandLine;
using MnistTrainer.Model;
using MnistTrainer.Training;
using static TorchSharp.torch;

namespace MnistTrainer.Cli;

/// <summary><c>train</c>: the lesson's training run on a whole dataset, saving the model at the end.</summary>
public static class TrainCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var data = new DataOptions();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => TrainingOptions.DefaultEpochs };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => TrainingOptions.DefaultLearningRate };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per mini-batch", DefaultValueFactory = _ => TrainingOptions.DefaultBatchSize };
        var output = new Option<string?>("--output", "-o") { Description = "Model file to write (default: <dataset>.model in the current folder)" };
        var seed = new Option<long?>("--seed") { Description = "Seed for the initial weights and the shuffling (default: random, printed)" };
        var threads = ThreadOptions.Create();

        epochs.Check(v => v < 1 ? "--epochs must be at least 1." : null);
        lr.Check(v => !double.IsFinite(v) || v <= 0 || v > 10 ? $"--lr must be a number greater than 0 and at most 10 (got {v})." : null);
        batchSize.Check(v => v < 1 ? "--batch-size must be at least 1." : null);

        var command = new Command("train", "Train the lesson's network and save it");
        data.AddTo(command);
        foreach (var option in new Option[] { epochs, lr, batchSize, output, seed, threads })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            ThreadOptions.Apply(parse.GetValue(threads));
            var options = new TrainingOptions(parse.GetValue(epochs), parse.GetValue(lr), parse.GetValue(batchSize),
                parse.GetValue(seed) ?? Random.Shared.NextInt64(0, 1L << 31));
            var modelPath = parse.GetValue(output) ?? $"{data.GetDataset(parse).Name}.model";
            ModelFile.CheckCanSave(modelPath);
            var (dataset, trainImages, testImages) = DatasetLoading.LoadBoth(data, parse, terminal, cancel);
            if (options.BatchSize > trainImages.Count)
                throw new UsageException($"--batch-size {options.BatchSize} is larger than the {trainImages.Count:N0} training images.");

            terminal.Out.WriteLine($"Training {MnistNetwork.Description}");
            terminal.Out.WriteLine($"  epochs {options.Epochs}, lr {options.LearningRate}, batch size {options.BatchSize}, seed {options.Seed}, threads {get_num_threads()}");
            using var train = new ImageTensors(trainImages);
            using var test = new ImageTensors(testImages);
            using var network = Trainer.NewNetwork(options.Seed);
            var result = new Trainer(options).Run(network, train, test, new TrainingReporter(terminal), cancel);

            var summary = new TrainingSummary(options.Epochs, options.LearningRate, options.BatchSize, options.Seed,
                result.EpochLosses, result.TestAccuracy, DateTimeOffset.UtcNow);
            ModelFile.Save(modelPath, network, ModelMetadata.For(dataset.Name, dataset.ClassNames, summary));
            terminal.Out.WriteLine($"Saved model to {modelPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
