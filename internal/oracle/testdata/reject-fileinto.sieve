require ["reject","fileinto"];
reject "Pas ici";
fileinto "X";
