return MnistTrainer.Cli.App.Run(args);
