// Aula 4 – Como treinar uma rede neural artificial, em C# com TorchSharp: o notebook da aula num
// arquivo só, na mesma ordem. Cada seção leva o título da seção da aula e imprime o que a célula
// correspondente imprime. Rode da raiz do repositório:  dotnet run lesson/aula4.cs -- --epochs 5
// Opções: --epochs N (padrão 5, como na aula), --seed N (fixa os pesos iniciais e a ordem dos lotes),
// --data-dir PASTA (onde estão os arquivos do MNIST).
#:package TorchSharp-cpu
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Números com ponto decimal, como o Python os imprime, seja qual for o idioma do sistema.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
torch.TensorStringStyle = TorchSharp.TensorStringStyle.Numpy; // tensores impressos no estilo do NumPy

int Erro(int código, string mensagem) { Console.Error.WriteLine(mensagem); return código; }
string? Opção(string nome) => Array.IndexOf(args, nome) is int i and >= 0 ? args[i + 1] : null;
string[] opções = ["--epochs", "--seed", "--data-dir"];
int epochs = 5;
long semente = Random.Shared.Next(1_000_000); // sem --seed, ao acaso como no notebook (e impressa, para você repetir)
if (args.Length % 2 != 0 || args.Where((_, i) => i % 2 == 0).Any(a => !opções.Contains(a))
    || Opção("--epochs") is string textoEpochs && !(int.TryParse(textoEpochs, out epochs) && epochs > 0)
    || Opção("--seed") is string textoSeed && !long.TryParse(textoSeed, out semente))
    return Erro(2, "Uso: dotnet run lesson/aula4.cs -- [--epochs N] [--seed N] [--data-dir PASTA]");
Console.WriteLine($"Semente: {semente}");
manual_seed(semente);
set_num_threads(1); // uma thread só: com duas em 2 núcleos, as do libtorch esperam uma pela outra (até 10× mais lento)

// ### Os dados
// O notebook baixa o MNIST com o torchvision. Aqui lemos os arquivos de treinamento de onde a aplicação
// (src/MnistTrainer) os lê: --data-dir ou $MNIST_TRAINER_DATA, o data/mnist/ do repositório e a pasta
// em que o torchvision os deixa.
string? pastaDada = Opção("--data-dir") ?? Environment.GetEnvironmentVariable("MNIST_TRAINER_DATA");
string repositório = Path.GetFullPath(Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, ".."));
string[] pastas = [
    .. pastaDada is { Length: > 0 } p ? new[] { p, Path.Combine(p, "mnist"), Path.Combine(p, "MNIST", "raw") } : [],
    Path.Combine(repositório, "data", "mnist"),
    Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pytorch", "MNIST_data", "MNIST", "raw")];
// Cada arquivo pode estar compactado (.gz, como vem do site do MNIST) ou não (como o torchvision o deixa).
string? Arquivo(string pasta, string nome) => new[] { nome + ".gz", nome }.Select(n => Path.Combine(pasta, n)).FirstOrDefault(File.Exists);
string? pasta = pastas.FirstOrDefault(p => Arquivo(p, "train-images-idx3-ubyte") != null && Arquivo(p, "train-labels-idx1-ubyte") != null);
if (pasta == null)
    return Erro(1, $"Não encontrei train-images-idx3-ubyte.gz e train-labels-idx1-ubyte.gz em:\n  {string.Join("\n  ", pastas)}\n" +
        "Para baixar o MNIST (11 MB) para data/mnist/, rode da raiz do repositório:\n" +
        "  dotnet run --project src/MnistTrainer -- lesson loss --dataset mnist");

// Um arquivo IDX: um número mágico cujo último byte diz quantas dimensões há, o tamanho de cada
// dimensão (inteiro de 32 bits, big-endian) e depois os dados, um byte por pixel ou por rótulo.
(byte[] dados, int[] formato) LerIdx(string caminho)
{
    using var arquivo = File.OpenRead(caminho);
    using var memória = new MemoryStream();
    (caminho.EndsWith(".gz") ? new GZipStream(arquivo, CompressionMode.Decompress) : (Stream)arquivo).CopyTo(memória);
    byte[] bytes = memória.ToArray();
    int[] formato = [.. Enumerable.Range(0, bytes[3]).Select(d => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d)))];
    return (bytes[(4 + 4 * formato.Length)..], formato);
}
var (pixels, tamanho) = LerIdx(Arquivo(pasta, "train-images-idx3-ubyte")!);
var (rótulos, _) = LerIdx(Arquivo(pasta, "train-labels-idx1-ubyte")!);
long n = tamanho[0];
// transforms.ToTensor() e Normalize([0.5], [0.5]): bytes 0–255 → [0, 1] → [-1, 1], em imagens [N, 1, 28, 28].
// (As operações terminadas em _ mudam o próprio tensor: não criam outra cópia de todas as imagens.)
var trainImages = tensor(pixels, [n, 1, tamanho[1], tamanho[2]]).to_type(ScalarType.Float32).div_(255).sub_(0.5).div_(0.5);
var trainLabels = tensor(rótulos).to_type(ScalarType.Int64);
Console.WriteLine($"{n} imagens de treinamento em {pasta}");

// O trainloader, DataLoader(trainset, batch_size=64, shuffle=True): cada vez que o percorremos, ele
// embaralha as imagens de novo, com números tirados do gerador `embaralhamento`.
const int batchSize = 64;
long lotesPorÉpoca = (n + batchSize - 1) / batchSize; // len(trainloader)
var embaralhamento = new Generator((ulong)semente);
(Tensor images, Tensor labels) Lote(Tensor ordem, long início)
{
    var índices = ordem.narrow(0, início, Math.Min(batchSize, n - início));
    return (trainImages.index_select(0, índices), trainLabels.index_select(0, índices));
}
// next(iter(trainloader)): o primeiro lote de uma ordem nova.
(Tensor images, Tensor labels) PróximoLote() => Lote(randperm(n, generator: embaralhamento), 0);
// for images, labels in trainloader: todos os lotes de uma ordem nova. O Python libera cada tensor
// assim que ninguém mais o usa; aqui, um DisposeScope por lote libera os tensores do lote anterior.
IEnumerable<(Tensor images, Tensor labels)> Trainloader()
{
    var ordem = randperm(n, generator: embaralhamento);
    for (long início = 0; início < n; início += batchSize)
        using (NewDisposeScope()) yield return Lote(ordem, início);
}
Sequential model;
Linear Camada0() => (Linear)model[0]; // o model[0] do PyTorch: a primeira camada linear

// ### Perdas no PyTorch
Console.WriteLine("\n### Perdas no PyTorch");
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10));
Loss<Tensor, Tensor, Tensor> criterion = nn.CrossEntropyLoss(); // Loss<…>: serve também para a NLLLoss, adiante
var (images, labels) = PróximoLote();
images = images.view(images.shape[0], -1); // "achata" a imagem: [64, 1, 28, 28] → [64, 784]
var logits = model.call(images);           // passe para frente: os logits
var loss = criterion.call(logits, labels); // a perda, calculada com os logits e os rótulos
loss.print();

// Exercício: a rede terminando em LogSoftmax(dim=1), com a perda NLLLoss.
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10), nn.LogSoftmax(dim: 1));
criterion = nn.NLLLoss();
(images, labels) = PróximoLote();
images = images.view(images.shape[0], -1);
var logps = model.call(images);            // as probabilidades log
loss = criterion.call(logps, labels);
loss.print();

// ### Autograd
Console.WriteLine("\n### Autograd");
var x = randn(2, 2, requires_grad: true);
x.print();
var y = x.pow(2);
y.print();
// O PyTorch mostraria y.grad_fn (<PowBackward0>); o TorchSharp não tem grad_fn, mas diz se o autograd acompanha y.
Console.WriteLine($"y.requires_grad: {y.requires_grad}");
var z = y.mean();
z.print();
Console.WriteLine(x.grad?.str() ?? "None"); // vazio: ainda não houve backward
z.backward();
x.grad!.print();                            // dz/dx = x/2 ...
(x / 2).print();                            // ... confira
using (no_grad()) Console.WriteLine($"Dentro de no_grad(), (x * 2).requires_grad: {(x * 2).requires_grad}");

// ### Perda e Autograd juntos
Console.WriteLine("\n### Perda e Autograd juntos");
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10), nn.LogSoftmax(dim: 1));
criterion = nn.NLLLoss();
(images, labels) = PróximoLote();
images = images.view(images.shape[0], -1);
logps = model.call(images);
loss = criterion.call(logps, labels);
Console.WriteLine($"Antes do passe inverso:\n{Camada0().weight!.grad?.str() ?? "None"}");
loss.backward();
Console.WriteLine($"Depois do passe inverso:\n{Camada0().weight!.grad!.str()}");

// ### Treinando a rede!
Console.WriteLine("\n### Treinando a rede!");
var optimizer = optim.SGD(model.parameters(), 0.01); // os parâmetros a otimizar e a taxa de aprendizado
Console.WriteLine($"Pesos iniciais - {Camada0().weight!.str()}");
(images, labels) = PróximoLote();
images = images.view(64, 784);             // o images.resize_(64, 784) do notebook
optimizer.zero_grad();                     // limpe os gradientes: eles se acumulam
var output = model.call(images);           // passe para frente, depois para trás
loss = criterion.call(output, labels);
loss.backward();
Console.WriteLine($"Gradiente - {Camada0().weight!.grad!.str()}");
optimizer.step();                          // dê um passo de atualização
Console.WriteLine($"Pesos atualizados - {Camada0().weight!.str()}");

// ### Treinamento de verdade
Console.WriteLine("\n### Treinamento de verdade");
// Recomeçamos da semente: os mesmos pesos iniciais e a mesma ordem dos lotes de
// `train --engine autograd --seed N` da aplicação, para que as perdas de um e de outro se confiram.
manual_seed(semente);
embaralhamento.manual_seed(semente);
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10), nn.LogSoftmax(dim: 1));
criterion = nn.NLLLoss();
optimizer = optim.SGD(model.parameters(), 0.01);
for (int e = 0; e < epochs; e++)
{
    double running_loss = 0;
    foreach (var lote in Trainloader())
    {
        (images, labels) = lote;
        images = images.view(images.shape[0], -1);
        optimizer.zero_grad();
        output = model.call(images);
        loss = criterion.call(output, labels);
        loss.backward();
        optimizer.step();
        running_loss += loss.item<float>();
    }
    Console.WriteLine($"Perda de treinamento: {running_loss / lotesPorÉpoca}");
}

// Com a rede treinada, podemos verificar suas previsões.
(images, labels) = PróximoLote();
var img = images[1].view(1, 784);
using (no_grad()) logps = model.call(img); // sem gradientes: mais rápido
var ps = exp(logps);                       // de probabilidades log para probabilidades
Console.WriteLine($"\nA imagem 1 de um lote novo (rótulo verdadeiro: {labels[1].item<long>()}):");
ViewClassify(img.view(28, 28), ps);
return 0;

// O view_classify do notebook, no terminal: a imagem em caracteres (quanto mais tinta, mais cheio o
// caractere) e as dez probabilidades de classe em barras, no lugar dos dois gráficos do matplotlib.
void ViewClassify(Tensor imagem, Tensor probabilidades)
{
    const string tons = " .:-=+*#%@";
    float[] valores = imagem.data<float>().ToArray(); // de -1 (fundo) a 1 (tinta)
    for (int linha = 0; linha < 28; linha++) // cada pixel em dois caracteres, para a imagem não sair estreita
        Console.WriteLine(string.Concat(valores.Skip(linha * 28).Take(28).Select(v => new string(tons[(int)((v + 1) / 2 * 9)], 2))));
    Console.WriteLine("Probabilidade de classe");
    float[] p = probabilidades.data<float>().ToArray();
    for (int classe = 0; classe < 10; classe++)
        Console.WriteLine($"{classe} {new string('█', (int)Math.Round(p[classe] * 40)),-40} {p[classe]:0.000}");
}
