namespace MnistTrainer.Data;

/// <summary>A file as its mirrors serve it: its exact size and MD5. A download that is longer, shorter or different is refused.</summary>
public sealed record KnownFile(long Size, string Md5);

/// <summary>One of the datasets the trainer knows: its files, where they can be downloaded and its class names.</summary>
public sealed record DatasetInfo(
    string Name,
    string DisplayName,
    string TorchvisionFolder,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> Mirrors,
    IReadOnlyDictionary<string, KnownFile> KnownFiles,
    string? SystemFolder)
{
    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";
    public static readonly IReadOnlyList<string> Files = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    public const int ImageSide = 28;
    public const int ImagePixels = ImageSide * ImageSide;

    public static readonly DatasetInfo Mnist = new(
        Name: "mnist",
        DisplayName: "MNIST",
        TorchvisionFolder: "MNIST",
        ClassNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        // The mirrors torchvision uses, in its order.
        Mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        KnownFiles: new Dictionary<string, KnownFile>
        {
            [TrainImagesFile] = new(9_912_422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            [TrainLabelsFile] = new(28_881, "d53e105ee54ea40749a09fcbcd1e9432"),
            [TestImagesFile] = new(1_648_877, "9fb629c4189551a2d022fa330f9573f3"),
            [TestLabelsFile] = new(4_542, "ec29112dd5afa0611ce80d1b7f02629c"),
        },
        SystemFolder: null);

    public static readonly DatasetInfo FashionMnist = new(
        Name: "fashion-mnist",
        DisplayName: "Fashion-MNIST",
        TorchvisionFolder: "FashionMNIST",
        ClassNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        Mirrors: ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        // Upstream's files. Debian's dataset-fashion-mnist package has them recompressed without the file name in the
        // gzip header: each is shorter by the name's length plus one (26,421,856 bytes for the training images), and its MD5s differ.
        KnownFiles: new Dictionary<string, KnownFile>
        {
            [TrainImagesFile] = new(26_421_880, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            [TrainLabelsFile] = new(29_515, "25c81989df183df01b3e8a0aad5dffbe"),
            [TestImagesFile] = new(4_422_102, "bef4ecab320f06d8554ea6380940ec79"),
            [TestLabelsFile] = new(5_148, "bb300cfdad3c16e7a12a480ee83cd310"),
        },
        SystemFolder: "/usr/share/datasets/fashion-mnist");

    public static readonly IReadOnlyList<DatasetInfo> All = [Mnist, FashionMnist];

    public static DatasetInfo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    public int ClassCount => ClassNames.Count;
}
