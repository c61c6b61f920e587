require "fileinto";
fileinto "Archives";
