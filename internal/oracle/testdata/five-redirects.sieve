redirect "a@medecin.mssante.fr";redirect "b@medecin.mssante.fr";redirect "c@medecin.mssante.fr";redirect "d@medecin.mssante.fr";redirect "e@medecin.mssante.fr";
