require "copy";
redirect :copy "secretariat@esantepdl.mssante.fr";
