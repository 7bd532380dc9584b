namespace MnistTrainer.Web;

/// <summary>A request the server refuses: the HTTP status and the one line of its JSON error body.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
