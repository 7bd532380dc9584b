namespace MnistTrainer.Cli;

public static class App
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("not yet");
        return 1;
    }
}
