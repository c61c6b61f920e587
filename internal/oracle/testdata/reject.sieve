require "reject";
reject "Pas ici";
