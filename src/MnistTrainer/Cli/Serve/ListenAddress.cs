using System.Net;
using System.Net.Sockets;

namespace MnistTrainer.Cli;

/// <summary>Where <c>serve</c> listens: the --host value read, checked usable before anything starts, and whether it reaches beyond this machine.</summary>
public static class ListenAddress
{
    /// <summary>An IP address, or localhost (127.0.0.1); null for anything else.</summary>
    public static IPAddress? Parse(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address : null;

    /// <summary>
    /// Binds a socket to <paramref name="address"/>:<paramref name="port"/> and lets it go, so that an address
    /// that is not this machine's or a port in use is a <see cref="UsageException"/> before the model is loaded.
    /// </summary>
    public static void CheckUsable(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: a port left in TIME_WAIT by a server that just stopped is usable.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            throw Unusable(address, port, e);
        }
    }

    public static UsageException Unusable(IPAddress address, int port, Exception e) => new(
        (e as SocketException)?.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => $"cannot listen on {Endpoint(address, port)}: the port is in use; choose another --port.",
            SocketError.AddressNotAvailable => $"cannot listen on {Endpoint(address, port)}: {address} is not an address of this machine; choose another --host (127.0.0.1: this machine only).",
            SocketError.AccessDenied => $"cannot listen on {Endpoint(address, port)}: ports below 1024 need administrator rights; choose another --port.",
            _ => $"cannot listen on {Endpoint(address, port)} ({e.Message.TrimEnd('.')}); choose another --port or --host.",
        });

    /// <summary>Whether other machines can reach the server: any address but a loopback one.</summary>
    public static bool ReachesBeyondThisMachine(IPAddress address) => !IPAddress.IsLoopback(address);

    static string Endpoint(IPAddress address, int port) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
